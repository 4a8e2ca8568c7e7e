import { matchingTimeStep, newTotpSecret, stepAcceptedUntil, timeStepAt, totpCodeAt, totpUri } from './totp-codes';

const STEP_MS = 30_000;

describe('TOTP codes', () => {
  const secret = newTotpSecret();
  // The middle of a step, so that ±1 and ±2 steps are unambiguous.
  const now = new Date(Math.floor(Date.now() / STEP_MS) * STEP_MS + 15_000);

  it('accept the code of now and of one step either side, naming the step it belongs to', () => {
    for (const offset of [-1, 0, 1]) {
      const code = totpCodeAt(secret, new Date(now.getTime() + offset * STEP_MS));
      expect(matchingTimeStep(secret, code, now)).toBe(timeStepAt(now) + offset);
    }
  });

  it('refuse a code two steps away, another secret’s code and anything but six digits', () => {
    for (const offset of [-2, 2]) {
      expect(matchingTimeStep(secret, totpCodeAt(secret, new Date(now.getTime() + offset * STEP_MS)), now)).toBeNull();
    }
    expect(matchingTimeStep(newTotpSecret(), totpCodeAt(secret, now), now)).toBeNull();
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456'])
      expect(matchingTimeStep(secret, code, now)).toBeNull();
  });

  it('keep a step accepted until the end of the step after it', () => {
    const step = timeStepAt(now);
    expect(stepAcceptedUntil(step).getTime()).toBe((step + 2) * STEP_MS);
  });

  it('make 160-bit Base32 secrets and otpauth URIs apps read', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'ClickBit Backend API', 'john@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('ClickBit Backend API');
  });
});
