import { AuthConfig } from '../config/auth.config';
import { CURRENT_KEY_VERSION, TotpSecretCipher, TotpSecretUnreadable } from './totp-secret-cipher';

function cipherWith(secretKey: string): TotpSecretCipher {
  return new TotpSecretCipher(Object.assign(new AuthConfig(), { secretKey }));
}

const USER = '0b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('TotpSecretCipher', () => {
  const cipher = cipherWith('a-test-secret-key-of-more-than-32-characters');

  it('decrypts what it encrypted, under the current key version', () => {
    const { ciphertext, keyVersion } = cipher.encrypt(SECRET, USER);
    expect(keyVersion).toBe(CURRENT_KEY_VERSION);
    expect(ciphertext.includes(Buffer.from(SECRET))).toBe(false);
    expect(cipher.decrypt(ciphertext, keyVersion, USER)).toBe(SECRET);
  });

  it('never produces the same ciphertext twice (a fresh IV each time)', () => {
    expect(cipher.encrypt(SECRET, USER).ciphertext.equals(cipher.encrypt(SECRET, USER).ciphertext)).toBe(false);
  });

  it('refuses a ciphertext with any byte changed', () => {
    const { ciphertext, keyVersion } = cipher.encrypt(SECRET, USER);
    for (const index of [0, 12, 20, ciphertext.length - 1]) {
      const tampered = Buffer.from(ciphertext);
      tampered[index] ^= 0x01;
      expect(() => cipher.decrypt(tampered, keyVersion, USER)).toThrow(TotpSecretUnreadable);
    }
    expect(() => cipher.decrypt(ciphertext.subarray(0, 28), keyVersion, USER)).toThrow(TotpSecretUnreadable);
  });

  it("refuses another user's row, an unknown key version and another SECRET_KEY", () => {
    const { ciphertext, keyVersion } = cipher.encrypt(SECRET, USER);
    expect(() => cipher.decrypt(ciphertext, keyVersion, '1b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77')).toThrow(
      TotpSecretUnreadable,
    );
    expect(() => cipher.decrypt(ciphertext, keyVersion + 1, USER)).toThrow(/unknown key version/);
    const other = cipherWith('another-secret-key-of-more-than-32-characters');
    expect(() => other.decrypt(ciphertext, keyVersion, USER)).toThrow(TotpSecretUnreadable);
  });
});
