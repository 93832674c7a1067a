// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

export type BookingState = 'held' | 'confirmed' | 'cancelled' | 'refunded';
// … (left out of the example)















export const TRANSITIONS: Record<BookingState, BookingState[]> = {
  held: ['confirmed', 'cancelled'],
  confirmed: ['cancelled', 'refunded'],
  cancelled: [],
  refunded: [],
};
