// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

export class RefundService {
  // … (left out of the example)
















































































































  /** The eligibility check: within 48 hours of booking, or a cancelled sailing. */
  isEligible(booking: { createdAt: Date; sailingCancelled: boolean }, now: Date): boolean {
    return booking.sailingCancelled || now.getTime() - booking.createdAt.getTime() < 48 * 3600 * 1000;
  }

  /** One refund as its passenger sees it. */
  get(id: string) {
    return { id, state: 'requested' as const };
  }
}
