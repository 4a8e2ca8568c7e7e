import { MfaChallenges } from '../mfa/mfa-challenges';
import { MetricsService } from '../metrics/metrics.service';
import { SecurityLogger } from '../security/security-logger';
import { User } from '../users/entities/user.entity';
import { AuthService, SignedIn } from './auth.service';
import { ExternalSignIn } from './external-sign-in';

const CLIENT = { ipAddress: '192.0.2.1', userAgent: 'test' };

function build() {
  const calls: unknown[][] = [];
  const signedIn = { accessToken: 'a' } as SignedIn;
  const auth = {
    startSession: (...args: unknown[]) => {
      calls.push(['startSession', ...args]);
      return Promise.resolve(signedIn);
    },
  } as unknown as AuthService;
  const mfa = { begin: () => Promise.resolve('mfa-token') } as unknown as MfaChallenges;
  const metrics = {
    loginAttempt: (result: string) => void calls.push(['metric', result]),
  } as unknown as MetricsService;
  const security = {
    event: (name: string) => void calls.push(['event', name]),
    warn: (name: string, details: unknown) => void calls.push(['warn', name, details]),
  } as unknown as SecurityLogger;
  return { calls, signedIn, signIn: new ExternalSignIn(auth, mfa, metrics, security) };
}

describe('ExternalSignIn', () => {
  it('starts a session like every sign-in, its audit row naming the method and the provider', async () => {
    const { calls, signedIn, signIn } = build();
    const user = { id: 'u', mfaEnabled: false } as User;
    expect(await signIn.complete(user, 'google', CLIENT)).toEqual({ kind: 'signed-in', signedIn });
    expect(calls).toEqual([
      ['startSession', user, CLIENT, { action: 'login.succeeded', details: { method: 'oidc', provider: 'google' } }],
    ]);
  });

  it('hands out the second step instead of a session when the account has TOTP', async () => {
    const { calls, signIn } = build();
    const result = await signIn.complete({ id: 'u', mfaEnabled: true } as User, 'google', CLIENT);
    expect(result).toEqual({ kind: 'mfa', mfaToken: 'mfa-token' });
    expect(calls).toEqual([['event', 'mfa_challenge_issued']]);
  });

  it('counts a failed callback with the failed logins and logs its code, never a token', () => {
    const { calls, signIn } = build();
    signIn.failed('google', 'account_exists', 'email of an existing account', CLIENT);
    expect(calls).toEqual([
      ['metric', 'failure'],
      [
        'warn',
        'auth_attempt',
        expect.objectContaining({ success: false, provider: 'google', error: 'account_exists' }),
      ],
    ]);
  });
});
