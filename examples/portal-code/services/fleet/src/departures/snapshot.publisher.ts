// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

import { Logger } from '@nestjs/common';
import { DepartureGateway } from './departure.gateway';

export class SnapshotPublisher {
  private readonly log = new Logger(SnapshotPublisher.name);

  constructor(private readonly gateway: DepartureGateway) {}

  /** Every 30 seconds and on every subscribe: the terminal's next sailings. */
  publish(terminalId: string, sailings: unknown[]) {
    this.gateway.sendSnapshot(terminalId, sailings);
    // … (left out of the example)

































    this.log.log(`snapshot published terminal=${terminalId} sailings=${sailings.length}`);
  }
}
