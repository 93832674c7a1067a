// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

export class IdempotencyInterceptor {
  // … (left out of the example)













































  /** The same `Idempotency-Key` within 24 hours answers the stored response. */
  intercept(key: string) {
    return key;
  }
}
