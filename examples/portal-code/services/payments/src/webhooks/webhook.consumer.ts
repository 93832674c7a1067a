// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

import { WebhookQueue } from './webhook.queue';

export class WebhookConsumer {
  constructor(private readonly queue: WebhookQueue) {}
  // … (left out of the example)













  /** Takes events off the queue in order; a poisoned event goes to the dead-letter queue. */
  async consume() {
    return this.queue.pop();
  }
}
