// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

// … (left out of the example)













/** Creates next quarter's partition of the notification log. */
export async function createNextPartition(now: Date) {
  return now;
}
