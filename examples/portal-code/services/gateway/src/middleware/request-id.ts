// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

import { randomUUID } from 'node:crypto';
// … (left out of the example)









export function requestId() {
  return (req: { headers: Record<string, string> }, _res: unknown, next: () => void) => {
    req.headers['x-request-id'] ??= randomUUID();
    next();
  };
}
