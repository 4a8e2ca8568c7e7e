import { LightMyRequestResponse } from 'fastify';
import { Credentials, login, register } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, secondStep } from './support/mfa';
import { post } from './support/http';
import { resetPasswordByMail } from './support/mail-log';
import { startTestApp, TestApp } from './support/test-app';

// LOCKOUT_THRESHOLD as in production; RATE_LIMIT_ENABLED stays false (the test default), as in the review.
const LOCKOUT = { LOCKOUT_THRESHOLD: '5', LOCKOUT_WINDOW: '900', LOCKOUT_DURATION: '900' };

jest.setTimeout(60_000);

describe('Two lockout counters per address: wrong passwords and wrong codes', () => {
  let t: TestApp;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({ env: LOCKOUT, clock });
  });
  afterAll(() => t.close());

  function loginWith(credentials: Credentials): Promise<LightMyRequestResponse> {
    return post(t.app, '/user/auth/login', credentials);
  }

  /** An account with TOTP on: its credentials and the secret its authenticator holds. */
  async function withTotp(): Promise<{ credentials: Credentials; secret: string }> {
    const credentials = await register(t.app);
    const { secret } = await enableTotp(t.app, await login(t.app, credentials), clock);
    return { credentials, secret };
  }

  /** A code the authenticator showed five minutes ago: never valid now. */
  const wrongCode = (secret: string): string => codeFor(secret, clock, -10);

  it('keeps a code lock through password resets: one budget of code verdicts, not one per reset', async () => {
    const { credentials, secret } = await withTotp();
    let password = credentials.password;
    let codeVerdicts = 0;
    // The review's loop: sign in with the password, guess codes until refused, reset the password by mail.
    for (let round = 0; round < 4; round += 1) {
      for (let guess = 0; guess < 10; guess += 1) {
        const first = await loginWith({ email: credentials.email, password });
        if (first.statusCode === 429) break;
        const { mfaToken } = first.json() as { mfaToken: string };
        const answer = await secondStep(t.app, mfaToken, wrongCode(secret));
        if (answer.statusCode === 429) break;
        expect(answer.statusCode).toBe(401);
        codeVerdicts += 1;
      }
      password = `Fresh-Passphrase-${round}-Qx7`;
      expect(await resetPasswordByMail(t, credentials.email, password)).toBe(200);
    }
    expect(codeVerdicts).toBe(5);
    // The lock holds the right password and the right code alike until it runs its course.
    expect((await loginWith({ email: credentials.email, password })).statusCode).toBe(429);
  });

  it('refuses the right code too while the code counter is locked', async () => {
    const { credentials, secret } = await withTotp();
    const tokens: string[] = [];
    for (let i = 0; i < 3; i += 1)
      tokens.push(((await loginWith(credentials)).json() as { mfaToken: string }).mfaToken);
    // Three tokens, each dying after three wrong codes: five wrong codes spread over the first two.
    for (let i = 0; i < 5; i += 1) {
      expect((await secondStep(t.app, tokens[i < 3 ? 0 : 1], wrongCode(secret))).statusCode).toBe(401);
    }
    const refused = await secondStep(t.app, tokens[2], codeFor(secret, clock));
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(890);
  });

  it('counts passwords and codes apart: four of each lock nothing, and a completed sign-in clears both', async () => {
    const { credentials, secret } = await withTotp();
    for (let i = 0; i < 4; i += 1) {
      expect((await loginWith({ ...credentials, password: 'Not-The-Password-7' })).statusCode).toBe(401);
    }
    const tokens: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const first = await loginWith(credentials);
      expect(first.statusCode).toBe(200);
      tokens.push((first.json() as { mfaToken: string }).mfaToken);
    }
    for (let i = 0; i < 4; i += 1) {
      expect((await secondStep(t.app, tokens[i < 2 ? 0 : 1], wrongCode(secret))).statusCode).toBe(401);
    }
    const third = (await loginWith(credentials)).json() as { mfaToken: string };
    expect((await secondStep(t.app, third.mfaToken, codeFor(secret, clock))).statusCode).toBe(200);
    // Both counts started again: four more wrong passwords still lock nothing.
    for (let i = 0; i < 4; i += 1) {
      expect((await loginWith({ ...credentials, password: 'Not-The-Password-7' })).statusCode).toBe(401);
    }
    expect((await loginWith(credentials)).statusCode).toBe(200);
  });

  it('clears a password lock with a completed reset, the code counter left as it was', async () => {
    const { credentials, secret } = await withTotp();
    const { mfaToken } = (await loginWith(credentials)).json() as { mfaToken: string };
    for (let i = 0; i < 2; i += 1) expect((await secondStep(t.app, mfaToken, wrongCode(secret))).statusCode).toBe(401);
    for (let i = 0; i < 5; i += 1) {
      expect((await loginWith({ ...credentials, password: 'Not-The-Password-7' })).statusCode).toBe(401);
    }
    expect((await loginWith(credentials)).statusCode).toBe(429);
    const password = 'Fresh-Passphrase-After-Lock-9';
    expect(await resetPasswordByMail(t, credentials.email, password)).toBe(200);
    // Three code verdicts are left of the window's five.
    let codeVerdicts = 0;
    for (let i = 0; i < 6; i += 1) {
      const first = await loginWith({ email: credentials.email, password });
      if (first.statusCode === 429) break;
      const answer = await secondStep(t.app, (first.json() as { mfaToken: string }).mfaToken, wrongCode(secret));
      if (answer.statusCode === 429) break;
      codeVerdicts += 1;
    }
    expect(codeVerdicts).toBe(3);
  });
});
