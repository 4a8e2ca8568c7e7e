import { DataSource } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Clock } from '../../common/clock';
import { ValidationFailedException } from '../../common/problem-details/problem.exception';
import { WrongCodeException, WrongPasswordException } from '../../mfa/mfa.errors';
import { SecondFactorProof } from '../../mfa/second-factor-proof';
import { AuthenticationResponseDto } from '../../passkeys/dto/webauthn-credential.dto';
import { MetricsService } from '../../metrics/metrics.service';
import { PasskeyNotYours, PasskeyReauthentication } from '../../passkeys/passkey-reauthentication';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LockoutService } from '../../security/lockout/lockout.service';
import { SecurityLogger } from '../../security/security-logger';
import { SessionsService } from '../../sessions/sessions.service';
import { SignedInCaller } from '../../users/authenticated-user';
import { User } from '../../users/entities/user.entity';
import { ProofAttempts } from '../../users/proof-attempts';
import { SignInEligibility } from '../sign-in/sign-in-eligibility';
import { AccountStanding } from '../../users/standing/account-standing';
import { SignInFailures } from '../sign-in/sign-in-failures';
import { Reauthentication } from './reauthentication';

const NOW = new Date('2026-12-06T10:00:00.000Z');

/** A Reauthentication over fakes that record what it asked of the lockout and the audit trail. */
function build({ passwordOk = true, codeOk = true, passkeyOk = true } = {}) {
  const calls: string[] = [];
  const rows: { action: string; details?: unknown }[] = [];
  const lockout = {
    attempt: LockoutService.prototype.attempt,
    reserve: () => Promise.resolve(void calls.push('reserve')),
    settleFailure: () => Promise.resolve(calls.push('failure') < 0),
    settleSuccess: () => Promise.resolve(void calls.push('success')),
    release: () => Promise.resolve(void calls.push('release')),
  } as unknown as LockoutService;
  const audit = {
    record: (_manager: unknown, row: { action: string }) => Promise.resolve(void rows.push(row)),
    recordFailure: (row: { action: string }) => Promise.resolve(void rows.push(row)),
  } as unknown as AuditTrail;
  const security = { event: () => undefined, warn: () => undefined } as unknown as SecurityLogger;
  const reauthentication = new Reauthentication(
    { transaction: (work: (manager: unknown) => unknown) => work({}) } as unknown as DataSource,
    { markAuthenticated: () => Promise.resolve(true) } as unknown as SessionsService,
    new ProofAttempts(
      lockout,
      { verify: () => Promise.resolve(passwordOk) } as unknown as PasswordHasher,
      audit,
      security,
    ),
    {
      judge: () => Promise.resolve({ method: 'totp', spend: () => Promise.resolve(codeOk) }),
    } as unknown as SecondFactorProof,
    {
      verify: () =>
        Promise.resolve(
          passkeyOk
            ? { outcome: 'verified', user: { isActive: true }, passkeyId: 'pk-1' }
            : { outcome: 'refused', reason: 'not_verified' },
        ),
    } as unknown as PasskeyReauthentication,
    audit,
    security,
    new SignInEligibility({ assertMaySignIn: () => undefined } as unknown as AccountStanding),
    new SignInFailures(audit, { loginAttempt: () => undefined } as unknown as MetricsService, security),
    { now: () => NOW } as Clock,
  );
  return { reauthentication, calls, rows };
}

const caller = (mfaEnabled = false): SignedInCaller => ({
  user: { id: 'u-1', email: 'jane@example.com', passwordHash: 'hash', mfaEnabled } as User,
  sessionId: 's-1',
});

describe('Reauthentication', () => {
  it('refuses a missing password, or a missing code with TOTP on, before the lockout counts anything', async () => {
    const { reauthentication, calls } = build();
    await expect(reauthentication.withSecrets(caller(), undefined)).rejects.toBeInstanceOf(ValidationFailedException);
    await expect(reauthentication.withSecrets(caller(true), 'pw')).rejects.toBeInstanceOf(ValidationFailedException);
    expect(calls).toEqual([]);
  });

  it('a right password is a new proof at now, and gives its lockout attempt back without clearing the count', async () => {
    const { reauthentication, calls, rows } = build();
    await expect(reauthentication.withSecrets(caller(), 'pw')).resolves.toEqual(NOW);
    expect(calls).toEqual(['reserve', 'release']);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'reauth.succeeded', details: { method: 'password', sessionId: 's-1' } }),
    ]);
  });

  it('a wrong password counts a failure and records reauth.failed with the route and method', async () => {
    const { reauthentication, calls, rows } = build({ passwordOk: false });
    await expect(reauthentication.withSecrets(caller(true), 'pw', '123456')).rejects.toBeInstanceOf(
      WrongPasswordException,
    );
    expect(calls).toEqual(['reserve', 'failure']);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'reauth.failed',
        details: { route: 'POST /user/auth/reauthenticate', method: 'password' },
      }),
    ]);
  });

  it('with TOTP on, a wrong code counts a failure and marks nothing', async () => {
    const { reauthentication, calls, rows } = build({ codeOk: false });
    await expect(reauthentication.withSecrets(caller(true), 'pw', '123456')).rejects.toBeInstanceOf(WrongCodeException);
    // The password's attempt goes back; the code's is counted (on the code counter).
    expect(calls).toEqual(['reserve', 'release', 'reserve', 'failure']);
    expect(rows.map((row) => row.action)).toEqual(['reauth.failed']);
  });

  it('a refused passkey records reauth.failed but never touches the lockout (no guessable secret)', async () => {
    const { reauthentication, calls, rows } = build({ passkeyOk: false });
    const credential = {} as AuthenticationResponseDto;
    await expect(reauthentication.withPasskey(caller(), credential)).rejects.toBeInstanceOf(PasskeyNotYours);
    expect(calls).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'reauth.failed', details: expect.objectContaining({ method: 'passkey' }) }),
    ]);
  });
});
