// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

import { BookingRepository } from './booking.repository';

export class HoldSweeper {
  constructor(private readonly repo: BookingRepository) {}
  // … (left out of the example)
























  /** Releases seat holds older than 15 minutes whose payment never completed. */
  async sweep(now: Date) {
    return now;
  }
}
