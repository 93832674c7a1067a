// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

export type PaymentState = 'pending' | 'authorised' | 'captured' | 'refunded' | 'failed';
// … (left out of the example)


























export const PAYMENT_TRANSITIONS: Record<PaymentState, PaymentState[]> = {
  pending: ['authorised', 'failed'],
  authorised: ['captured', 'failed'],
  captured: ['refunded'],
  refunded: [],
  failed: [],
};
