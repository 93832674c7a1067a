import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req, UseGuards } from '@nestjs/common';
import { Request } from 'express';
import { ApiKeyGuard } from '@kestrel/platform/auth';
import { WebhookQueue } from './webhook.queue';
import { verifySignature } from './signature';

/**
 * The payment provider's webhook. The provider retries for three days, so the handler only
 * verifies the signature and queues the event; `webhook.consumer.ts` does the work. A slow
 * handler here is what fills the backlog the payments runbook describes.
 */
@Controller('payments/webhook')
@UseGuards(ApiKeyGuard)
export class WebhookController {
  constructor(private readonly queue: WebhookQueue) {}

  // … (left out of the example)













  /**
   * Verifies the `Provider-Signature` header against the raw body (never the parsed JSON:
   * re-serialising changes the bytes), then queues the event and answers 204 at once.
   */
  @Post()
  @HttpCode(204)
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('provider-signature') signature: string) {
    verifySignature(req.rawBody, signature);
    await this.queue.push(req.rawBody);
  }
}
