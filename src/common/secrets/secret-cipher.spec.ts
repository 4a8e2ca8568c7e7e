import { SecretCipher, SecretKeys, SecretUnreadable } from './secret-cipher';

const KEY = 'a-test-secret-key-of-more-than-32-characters';
const OLD_KEY = 'the-secret-key-before-the-operator-changed-it';
const LABEL = 'clickbit/mfa/totp-secret/v1';
const USER = '0b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77';
const AAD = `totp:${USER}:v1`;
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function cipherWith(secretKey: string, secretKeyPrevious: string[] = []): SecretCipher {
  return new SecretCipher({ secretKey, secretKeyPrevious } satisfies SecretKeys);
}

describe('SecretCipher', () => {
  const cipher = cipherWith(KEY);

  it('opens what it sealed, and never seals the same way twice (a fresh IV each time)', () => {
    const sealed = cipher.seal(LABEL, SECRET, AAD);
    expect(sealed.includes(Buffer.from(SECRET))).toBe(false);
    expect(cipher.open(LABEL, sealed, AAD)).toEqual({ plaintext: Buffer.from(SECRET), underPreviousKey: false });
    expect(cipher.seal(LABEL, SECRET, AAD).equals(sealed)).toBe(false);
  });

  it('opens a TOTP secret exactly as the earlier mfa/ cipher stored it (rows of before the move)', () => {
    // Made by mfa/totp-secret-cipher.ts (key version 1) before it moved here.
    const stored = Buffer.from(
      'bf94d66ec6aa23784f613acee247b5a249a36644dcc7e62b721ed19bc32a3da0b787bed288520f6bd37ff726e29b87a421f192618dc14e329f3bd625',
      'hex',
    );
    expect(cipher.open(LABEL, stored, AAD).plaintext.toString('utf8')).toBe(SECRET);
  });

  it('refuses a ciphertext with any byte changed, or too short to hold an IV and a tag', () => {
    const sealed = cipher.seal(LABEL, SECRET, AAD);
    for (const index of [0, 12, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] ^= 0x01;
      expect(() => cipher.open(LABEL, tampered, AAD)).toThrow(SecretUnreadable);
    }
    expect(() => cipher.open(LABEL, sealed.subarray(0, 28), AAD)).toThrow(/too short/);
  });

  it("refuses another row's additional data, another purpose's label and another SECRET_KEY", () => {
    const sealed = cipher.seal(LABEL, SECRET, AAD);
    expect(() => cipher.open(LABEL, sealed, 'totp:1b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77:v1')).toThrow(SecretUnreadable);
    expect(() => cipher.open('clickbit/keys/signing-key/v1', sealed, AAD)).toThrow(SecretUnreadable);
    expect(() => cipherWith('another-secret-key-of-more-than-32-characters').open(LABEL, sealed, AAD)).toThrow(
      SecretUnreadable,
    );
  });

  it('opens under a SECRET_KEY_PREVIOUS and says so, and seals only under SECRET_KEY', () => {
    const sealedEarlier = cipherWith(OLD_KEY).seal(LABEL, SECRET, AAD);
    const rotated = cipherWith(KEY, ['some-other-retired-key-of-enough-length', OLD_KEY]);
    expect(rotated.open(LABEL, sealedEarlier, AAD)).toEqual({ plaintext: Buffer.from(SECRET), underPreviousKey: true });
    const resealed = rotated.seal(LABEL, SECRET, AAD);
    expect(cipherWith(KEY).open(LABEL, resealed, AAD).underPreviousKey).toBe(false);
    expect(() => cipherWith(OLD_KEY).open(LABEL, resealed, AAD)).toThrow(SecretUnreadable);
  });

  it('names how many keys it tried when none opens it, and needs SECRET_KEY only when used', () => {
    const sealed = cipherWith(OLD_KEY).seal(LABEL, SECRET, AAD);
    expect(() => cipherWith(KEY, ['yet-another-key-of-enough-length']).open(LABEL, sealed, AAD)).toThrow(
      /no configured key opens it \(SECRET_KEY and 1 previous\)/,
    );
    const unset = new SecretCipher({ secretKey: undefined, secretKeyPrevious: [] });
    expect(() => unset.seal(LABEL, SECRET, AAD)).toThrow(/SECRET_KEY is not set/);
  });
});
