// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

export class SmsChannel {
  // … (left out of the example)



















































  /** Retries with exponential backoff: 1 s, 4 s, 16 s, then the message is parked. */
  backoff(attempt: number): number {
    return 1000 * 4 ** attempt;
  }
}
