// Example code of the fictional Kestrel platform, for `build-index check --code` (see README).

// … (left out of the example)







/** The claims every Kestrel token carries. */
export interface Claims {
  sub: string;
  roles: string[];
  sid: string;
}
