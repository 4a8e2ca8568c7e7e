import { bearer, login, register } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { codeFor, nextMidStep, passwordStep, secondStep } from './support/mfa';
import { get, post } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const TRIALS = 12;

describe('TOTP enable racing a new setup', () => {
  const clock = new ControlledClock();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(() => t.close());

  it('enables exactly the secret its code was checked against: a setup at the same moment never swaps it', async () => {
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const credentials = await register(t.app);
      const client = await login(t.app, credentials);
      const as = (url: string, payload?: object) => post(t.app, url, payload, bearer(client.accessToken));
      const first = ((await as('/user/mfa/totp/setup')).json() as { secret: string }).secret;
      nextMidStep(clock);
      const [enable, setup] = await Promise.all([
        as('/user/mfa/totp/enable', { code: codeFor(first, clock) }),
        as('/user/mfa/totp/setup'),
      ]);
      // One of them wins: TOTP on with the first secret (the setup: 409), or a second secret pending and
      // TOTP off (the enable: 409, or 400 when its code met the second secret).
      const enabled = enable.statusCode === 200;
      const answers = { enable: enable.statusCode, setup: setup.statusCode };
      expect(answers).toEqual(enabled ? { enable: 200, setup: 409 } : { enable: expect.any(Number), setup: 200 });
      expect([200, 400, 409]).toContain(enable.statusCode);
      nextMidStep(clock);
      const enabledSecret = enabled ? first : undefined;
      const me = (await get(t.app, '/user/me', bearer(client.accessToken))).json();
      expect(me).toMatchObject({ mfaEnabled: enabledSecret !== undefined });
      if (enabledSecret) {
        const signedIn = await secondStep(t.app, await passwordStep(t.app, credentials), codeFor(first, clock));
        expect(signedIn.statusCode).toBe(200);
      } else {
        const second = (setup.json() as { secret: string }).secret;
        expect((await as('/user/mfa/totp/enable', { code: codeFor(second, clock) })).statusCode).toBe(200);
      }
    }
  });
});
