/**
 * Requests answered with a 5xx the service chose and explained where it was thrown (mail not
 * configured, a TOTP secret the key cannot read): their request line is a WARNING, so that the one
 * ERROR line of such a request is the one naming the cause and the fix. Crashes stay ERROR.
 */
const decided = new WeakSet<object>();

export function markDecidedFault(request: object): void {
  decided.add(request);
}

export function isDecidedFault(request: object): boolean {
  return decided.has(request);
}
