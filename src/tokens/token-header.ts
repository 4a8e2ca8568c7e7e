/** A JWT's protected header, as far as this service reads it; nothing in it is trusted before verification. */
export interface TokenHeader {
  alg?: unknown;
  kid?: unknown;
}

/** The decoded header of a compact JWT; undefined when it is not base64url JSON of an object. */
export function headerOf(token: string): TokenHeader | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null ? header : undefined;
  } catch {
    return undefined;
  }
}
