import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from './recovery-code-format';

describe('recovery codes', () => {
  it('come ten at a time, shaped xxxx-xxxx-xxxx-xxxx, all different', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('hash to 64 hex characters, whatever case, spaces or hyphens are typed', () => {
    const [code] = newRecoveryCodes(1);
    const hash = hashRecoveryCode(code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(normaliseRecoveryCode(code));
    expect(hashRecoveryCode(code.toUpperCase())).toBe(hash);
    expect(hashRecoveryCode(` ${code.replace(/-/g, ' ')} `)).toBe(hash);
    expect(hashRecoveryCode(newRecoveryCodes(1)[0])).not.toBe(hash);
  });

  it('are told apart from TOTP codes', () => {
    expect(looksLikeRecoveryCode(newRecoveryCodes(1)[0])).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
    expect(looksLikeRecoveryCode('abcd-efgh-ijkl-mno1')).toBe(false);
  });
});
