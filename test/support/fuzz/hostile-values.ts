import fc from 'fast-check';

/**
 * A string filling the body up to a number of bytes from BODY_LIMIT_BYTES: built when the request
 * is (a megabyte per generated value would make shrinking and the fuzz's memory costly).
 */
export class BodyFill {
  constructor(
    /** Bytes left below the limit (negative: over it). */
    readonly margin: number,
    readonly unit: string,
  ) {}

  toJSON(): string {
    return `<${this.margin} bytes from the body limit of ${JSON.stringify(this.unit)}>`;
  }
}

/** Strings at the edges: empty, NUL, lone surrogates, bidi and zero-width characters, control characters. */
export const BOUNDARY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'a\udfffb',
  '\u202eevil',
  'a\u200bb',
  '\ufeff',
  '\u0007',
  '\r\n',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '{"$ne":null}',
  '__proto__',
  'constructor',
  'é'.normalize('NFD'),
  '\u{1f600}',
  'x'.repeat(101),
  'x'.repeat(129),
  'x'.repeat(255),
  'x'.repeat(513),
  'x'.repeat(1025),
  'x'.repeat(70_000),
];

/** Numbers JSON can carry that break careless code: huge, negative, fractional, beyond safe integers. */
export const HOSTILE_NUMBERS = [0, -1, 1.5, -0, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 5e-324];

/** A value of any JSON type, weighted towards what breaks validation: wrong types, edges, structure. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...BOUNDARY_STRINGS) },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom(true, false, null) },
    {
      weight: 2,
      arbitrary: fc.constantFrom([], {}, [''], [null], { $ne: null }, [[[]]], { a: { b: { c: '\u0000' } } }),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 64, unit: 'binary' }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 64, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(new BodyFill(64, 'a'), new BodyFill(64, 'é'), new BodyFill(-16, 'a')) },
  );
}

/** Query and path text: what a URL can carry, hostile to a parser of integers, dates, ids and enums. */
export function hostileText(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        '',
        '0x10',
        '1e2',
        '+5',
        ' 5',
        '5.0',
        '-1',
        '0',
        '007',
        '99999999999999999999',
        'NaN',
        'Infinity',
        'true',
        'null',
        '\u0000',
        'a\u0000',
        '\ud800',
        '\u202e',
        'not-a-uuid',
        '00000000-0000-0000-0000-000000000000',
        'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
        '0000-01-01T00:00:00Z',
        '2026-02-30T00:00:00Z',
        '2026-01-01 00:00:00Z',
        '2026-01-01T00:00:60Z',
        'YTF8MDAwMC0wMS0wMVQwMDowMDowMFp8MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw',
        '..',
        'x'.repeat(300),
        'x'.repeat(5000),
      ),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );
}

/** The base64url clientDataJSON a browser would send for a ceremony with this challenge. */
export function clientDataWith(challenge: string, type = 'webauthn.get'): string {
  const clientData = { type, challenge, origin: 'https://app.example.com', crossOrigin: false };
  return Buffer.from(JSON.stringify(clientData)).toString('base64url');
}

/** A WebAuthn clientDataJSON whose challenge is hostile: the challenge stores must never see it. */
export function hostileClientData(): fc.Arbitrary<string> {
  const challenge = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '', ' ', "'", 'x'.repeat(65), '%00') },
    { weight: 1, arbitrary: fc.constantFrom(...BOUNDARY_STRINGS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 64, unit: 'binary' }) },
  );
  return fc
    .tuple(challenge, fc.constantFrom('webauthn.get', 'webauthn.create'))
    .map(([text, type]) => clientDataWith(text, type));
}
