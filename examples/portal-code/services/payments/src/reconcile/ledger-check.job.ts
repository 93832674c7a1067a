// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

export class LedgerCheckJob {
  // … (left out of the example)


























































  /** Nightly: every captured payment has a ledger entry of the same amount. */
  async run(day: string) {
    return day;
  }
}
