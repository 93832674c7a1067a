// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

import { Pool } from 'pg';

export class BookingRepository {
  constructor(private readonly pool: Pool) {}

  // … (left out of the example)





  /** Inserts a booking and its seat holds in one transaction. */
  async insert(booking: { id: string; sailingId: string; seats: string[] }) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO bookings (id, sailing_id) VALUES ($1, $2)', [booking.id, booking.sailingId]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  

  // … (left out of the example)














































  /** Reads a booking for a report: the connection must go back to the pool on every path. */
  async findForReport(id: string) {
    const client = await this.pool.connect();
    const { rows } = await client.query('SELECT * FROM bookings WHERE id = $1', [id]);
    client.release();
    return rows[0];
  }
}
