import { SecretCipher } from '../src/common/secrets/secret-cipher';
import { bearer, Credentials, login, register } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, enableTotp, passwordStep, secondStep } from './support/mfa';
import { post } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const EARLIER_KEY = 'the-secret-key-before-the-operator-changed-it';

jest.setTimeout(60_000);

describe('A TOTP secret the current SECRET_KEY cannot read', () => {
  const clock = new ControlledClock();
  let t: TestApp;
  let credentials: Credentials;
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    t = await startTestApp({ clock });
    // Nest's logger holds its lines until the app listens (bufferLogs): let them through, as a start would.
    t.app.flushLogs();
    credentials = await register(t.app);
    const client = await login(t.app, credentials);
    ({ secret, recoveryCodes } = await enableTotp(t.app, client, clock));
    // The state a SECRET_KEY change leaves: the secret stored under a key the service no longer has.
    const earlier = new SecretCipher({ secretKey: EARLIER_KEY, secretKeyPrevious: [] }).seal(
      'clickbit/mfa/totp-secret/v1',
      secret,
      `totp:${client.userId}:v1`,
    );
    await t.dataSource.query('UPDATE totp_factors SET secret_ciphertext = $1 WHERE user_id = $2', [
      earlier,
      client.userId,
    ]);
  });
  afterAll(() => t?.close());

  it('answers a TOTP code with 503 problem details, never a 500, and says why in one error line', async () => {
    const answer = await secondStep(t.app, await passwordStep(t.app, credentials), codeFor(secret, clock));
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json()).toMatchObject({ status: 503, detail: expect.stringContaining('second factor unavailable') });
    const errors = (await t.waitForLog('error.log', /SECRET_KEY changed/)).split('\n').filter(Boolean);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cannot be read with the current SECRET_KEY/);
    expect(errors[0]).toMatch(/Fix: add the SECRET_KEY in use when TOTP was set up to SECRET_KEY_PREVIOUS/);
    expect(errors[0]).not.toMatch(/"stack"|\bat .*\.(ts|js):\d+/);
  });

  it('is no verdict: neither the token nor the lockout counts it, and a recovery code still signs in', async () => {
    const mfaToken = await passwordStep(t.app, credentials);
    for (let i = 0; i < 6; i += 1) {
      expect((await secondStep(t.app, mfaToken, codeFor(secret, clock))).statusCode).toBe(503);
    }
    expect((await secondStep(t.app, mfaToken, recoveryCodes[0])).statusCode).toBe(200);
  });

  it('answers TOTP disable with a TOTP code 503 too, and lets a recovery code disable it', async () => {
    const signedIn = await secondStep(t.app, await passwordStep(t.app, credentials), recoveryCodes[1]);
    const { accessToken } = signedIn.json() as { accessToken: string };
    const disable = (code: string) =>
      post(t.app, '/user/mfa/totp/disable', { password: credentials.password, code }, bearer(accessToken));
    expect((await disable(codeFor(secret, clock))).statusCode).toBe(503);
    expect((await disable(recoveryCodes[2])).statusCode).toBe(204);
    expect((await post(t.app, '/user/auth/login', credentials)).json()).toMatchObject({ tokenType: 'Bearer' });
  });
});
