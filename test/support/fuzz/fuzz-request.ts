import { randomUUID } from 'node:crypto';
import { BodyFill } from './hostile-values';
import { FuzzOperation } from './openapi-operations';

/**
 * Which credentials a request carries: the caller's live access token as a bearer or in the session
 * cookie, none, a token that was never issued, or cookies of hostile text.
 */
export type SessionChoice = 'valid' | 'cookie' | 'none' | 'forged' | 'hostile-cookie';

/** A live session (bearer or cookie): the request gets past authentication to the route's own checks. */
export function isSignedIn(session: SessionChoice): boolean {
  return session === 'valid' || session === 'cookie';
}

export type FuzzBody =
  { kind: 'json'; value: unknown } | { kind: 'raw-json'; text: string } | { kind: 'form'; pairs: [string, string][] };

/** A request as the fuzz composes it, before it is written out. */
export interface FuzzRequest {
  operation: FuzzOperation;
  /** What was done to it, for the failure report. */
  label: string;
  pathValues: Record<string, string>;
  query: [string, string][];
  body?: FuzzBody;
  session: SessionChoice;
}

/** A request written out: what goes on the wire, and what the service will have parsed from it. */
export interface BuiltRequest {
  method: FuzzRequest['operation']['method'];
  url: string;
  path: string;
  /** The query pairs as the service decodes them. */
  query: [string, string][];
  /** The path parameters as the service decodes them. */
  pathValues: Record<string, string>;
  contentType?: string;
  payload?: string;
  /** The body as the service's parser will see it; `undefined` when none, or when it does not parse. */
  parsedBody?: unknown;
  malformedBody: boolean;
}

/** An id that names nothing: path ids point here unless a test wants a live resource. */
export const NOWHERE = randomUUID();

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes the UTF-8 bytes of text (a lone surrogate becomes U+FFFD, as any client would send it). */
export function percentEncoded(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 0x80 && UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** What the service reads back from text it received percent-encoded. */
function asReceived(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The JSON text of a body value, with a BodyFill (if any) grown to its size against the body limit. */
function jsonText(value: unknown, bodyLimit: number): string {
  let fill: BodyFill | undefined;
  const marker = `@@fill-${randomUUID()}@@`;
  const text = JSON.stringify(value, (_key, inner: unknown) => {
    if (inner instanceof BodyFill) {
      fill = inner;
      return marker;
    }
    return inner;
  });
  if (text === undefined) return 'null';
  if (!fill) return text;
  const rest = Buffer.byteLength(text) - Buffer.byteLength(marker);
  const count = Math.max(0, Math.floor((bodyLimit - fill.margin - rest) / Buffer.byteLength(fill.unit)));
  return text.replace(marker, fill.unit.repeat(count));
}

export function buildRequest(request: FuzzRequest, bodyLimit: number): BuiltRequest {
  const { operation } = request;
  const path = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) =>
    percentEncoded(request.pathValues[name] ?? NOWHERE),
  );
  const search = request.query.map(([key, value]) => `${percentEncoded(key)}=${percentEncoded(value)}`).join('&');
  const built: BuiltRequest = {
    method: operation.method,
    url: search ? `${path}?${search}` : path,
    path,
    query: request.query.map(([key, value]) => [asReceived(key), asReceived(value)]),
    pathValues: Object.fromEntries(Object.entries(request.pathValues).map(([k, v]) => [k, asReceived(v)])),
    malformedBody: false,
  };
  const body = request.body;
  if (!body) return built;
  if (body.kind === 'form') {
    built.contentType = 'application/x-www-form-urlencoded';
    built.payload = body.pairs.map(([key, value]) => `${percentEncoded(key)}=${percentEncoded(value)}`).join('&');
    built.parsedBody = formValue(body.pairs.map(([key, value]) => [asReceived(key), asReceived(value)]));
    return built;
  }
  built.contentType = 'application/json';
  built.payload = body.kind === 'json' ? jsonText(body.value, bodyLimit) : body.text;
  try {
    built.parsedBody = JSON.parse(built.payload) as unknown;
  } catch {
    built.malformedBody = true;
  }
  return built;
}

/** A form as the service's parser reads it: a repeated key becomes an array of its values. */
function formValue(pairs: [string, string][]): Record<string, string | string[]> {
  // Without a prototype, like the parser's own result: `__proto__` is a key like any other.
  const value = Object.create(null) as Record<string, string | string[]>;
  for (const [key, text] of pairs) {
    const before = value[key];
    value[key] = before === undefined ? text : Array.isArray(before) ? [...before, text] : [before, text];
  }
  return value;
}

/** The scalar top-level fields of a body as form pairs (forms carry text only). */
export function formPairs(body: unknown): [string, string][] {
  if (typeof body !== 'object' || body === null) return [];
  return Object.entries(body).flatMap(([key, value]): [string, string][] =>
    typeof value === 'object' && value !== null ? [] : [[key, String(value)]],
  );
}
