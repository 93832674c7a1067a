// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

// … (left out of the example)








export function startTelemetry(service: string) {
  return service;
}
