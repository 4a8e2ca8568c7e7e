import { LightMyRequestResponse } from 'fastify';
import { bearer, Credentials, login, register, signedInAdmin, SignedInClient } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { resetPasswordByMail } from './support/mail-log';
import { enableTotp, passwordStep, secondStep } from './support/mfa';
import { del, post } from './support/http';
import { stepUp } from './support/step-up';
import { startTestApp, TestApp } from './support/test-app';

const NEW_PASSWORD = 'An0ther-Long-Passphrase';

jest.setTimeout(60_000);

interface PendingSignIn {
  credentials: Credentials;
  /** The owner's own signed-in session, from before the sign-in that waits for its code. */
  owner: SignedInClient;
  recoveryCode: string;
  /** Issued after the right password; waiting for the second factor. */
  mfaToken: string;
}

describe('A pending mfaToken dies with every event that ends all sessions', () => {
  let t: TestApp;
  let admin: SignedInClient;
  const clock = new ControlledClock();

  beforeAll(async () => {
    t = await startTestApp({ clock });
    admin = await signedInAdmin(t.app);
  });
  afterAll(() => t.close());

  async function pendingSignIn(): Promise<PendingSignIn> {
    const credentials = await register(t.app);
    const owner = await login(t.app, credentials);
    const { recoveryCodes } = await enableTotp(t.app, owner, clock);
    return { credentials, owner, recoveryCode: recoveryCodes[0], mfaToken: await passwordStep(t.app, credentials) };
  }

  /** The admin routes need a recent proof, and the controlled clock has moved on since the admin's sign-in. */
  const asAdmin = async (
    method: 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse> => {
    await stepUp(t.app, admin);
    return t.app.inject({ method, url, payload, headers: bearer(admin.accessToken) });
  };

  const EVENTS: [string, (pending: PendingSignIn) => Promise<LightMyRequestResponse | number>][] = [
    [
      'a password change',
      ({ credentials, owner }) =>
        post(
          t.app,
          '/user/me/password',
          { currentPassword: credentials.password, newPassword: NEW_PASSWORD },
          bearer(owner.accessToken),
        ),
    ],
    ['a password reset', ({ credentials }) => resetPasswordByMail(t, credentials.email, NEW_PASSWORD)],
    ['logout-all', ({ owner }) => post(t.app, '/user/auth/logout-all', undefined, bearer(owner.accessToken))],
    [
      'a deactivation, even once the account is active again',
      async ({ owner }) => {
        expect((await asAdmin('PATCH', `/admin/users/${owner.userId}`, { isActive: false })).statusCode).toBe(200);
        return asAdmin('PATCH', `/admin/users/${owner.userId}`, { isActive: true });
      },
    ],
    ['an admin MFA reset', ({ owner }) => asAdmin('DELETE', `/admin/users/${owner.userId}/mfa`)],
    [
      'the deletion of the account',
      ({ credentials, owner }) => del(t.app, '/user/me', bearer(owner.accessToken), { password: credentials.password }),
    ],
  ];

  it('completes the sign-in when nothing happened meanwhile (the control)', async () => {
    const { mfaToken, recoveryCode } = await pendingSignIn();
    expect((await secondStep(t.app, mfaToken, recoveryCode)).statusCode).toBe(200);
  });

  for (const [event, happen] of EVENTS) {
    it(`refuses the second step after ${event}, even with a right recovery code`, async () => {
      const pending = await pendingSignIn();
      const outcome = await happen(pending);
      expect(typeof outcome === 'number' ? outcome : outcome.statusCode).toBeLessThan(300);
      const answer = await secondStep(t.app, pending.mfaToken, pending.recoveryCode);
      expect(answer.statusCode).toBe(401);
      expect(answer.json()).toMatchObject({ detail: 'The email or password is incorrect' });
    });
  }
});
