// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

import { BookingRepository } from './booking.repository';

export class BookingService {
  constructor(private readonly repo: BookingRepository) {}
  // … (left out of the example)























































































  /** Holds seats with `SELECT ... FOR UPDATE` on the sailing's seat rows: no double selling. */
  async holdSeats(sailingId: string, seats: string[]) {
    return this.repo.insert({ id: crypto.randomUUID(), sailingId, seats });
  }
}
