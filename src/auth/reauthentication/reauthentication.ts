import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Clock } from '../../common/clock';
import { ValidationFailedException } from '../../common/problem-details/problem.exception';
import { FieldError } from '../../common/problem-details/problem';
import { WrongCodeException, WrongPasswordException } from '../../mfa/mfa.errors';
import { SecondFactorProof } from '../../mfa/second-factor-proof';
import { looksLikeRecoveryCode } from '../../mfa/recovery-code-format';
import { AuthenticationResponseDto } from '../../passkeys/dto/webauthn-credential.dto';
import { PasskeySignInFailure } from '../../passkeys/passkey-authentication';
import { PasskeyNotYours, PasskeyReauthentication } from '../../passkeys/passkey-reauthentication';
import { SecurityLogger } from '../../security/security-logger';
import { SessionsService } from '../../sessions/sessions.service';
import { SignedInCaller } from '../../users/authenticated-user';
import { ProofAttempts } from '../../users/proof-attempts';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { SignInEligibility } from '../sign-in/sign-in-eligibility';
import { SignInFailures } from '../sign-in/sign-in-failures';

export const REAUTHENTICATE_ROUTE = 'POST /user/auth/reauthenticate';
export const REAUTHENTICATE_PASSKEY_ROUTE = 'POST /user/auth/reauthenticate/passkey';

export type ReauthMethod = 'password' | 'totp' | 'recovery_code' | 'passkey';

/**
 * Step-up: a signed-in user proves who they are again, and the session's `authenticatedAt` becomes now.
 * Passwords and codes go through the account lockout like a login (reserved before they are judged,
 * so parallel guesses cannot outrun the threshold); a passkey checks no guessable secret and does not.
 */
@Injectable()
export class Reauthentication {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly proofs: ProofAttempts,
    private readonly codes: SecondFactorProof,
    private readonly passkeys: PasskeyReauthentication,
    private readonly audit: AuditTrail,
    private readonly security: SecurityLogger,
    private readonly eligibility: SignInEligibility,
    private readonly failures: SignInFailures,
    private readonly clock: Clock,
  ) {}

  /**
   * The password, and a code when TOTP is on, each judged under the account lockout on its own counter
   * (ProofAttempts: a wrong one counts and writes reauth.failed; while locked, 429).
   */
  async withSecrets(caller: SignedInCaller, password?: string, code?: string): Promise<Date> {
    const { user } = caller;
    const missing: FieldError[] = [];
    if (!password) missing.push({ field: 'password', message: 'password is required' });
    if (user.mfaEnabled && !code)
      missing.push({ field: 'code', message: 'code is required: TOTP is on for this account' });
    if (!password || missing.length > 0) throw new ValidationFailedException(missing);

    const context = { user, route: REAUTHENTICATE_ROUTE, ipAddress: caller.ipAddress };
    if (!(await this.proofs.passwordMatches(context, password))) throw new WrongPasswordException();
    if (!user.mfaEnabled || !code) return this.proved(caller, 'password', () => Promise.resolve(true));
    let at: Date | undefined;
    const right = await this.proofs.judge(context, looksLikeRecoveryCode(code) ? 'recovery_code' : 'totp', async () => {
      const verdict = await this.codes.judge(user.id, code);
      at = await this.prove(caller, verdict.method, (manager) => verdict.spend(manager));
      return at !== undefined;
    });
    if (!right || !at) throw new WrongCodeException('code from the authenticator app or recovery code');
    return at;
  }

  /** An assertion of one of the caller's own passkeys, with user verification. */
  async withPasskey(caller: SignedInCaller, credential: AuthenticationResponseDto): Promise<Date> {
    const result = await this.passkeys.verify(caller.user.id, credential, caller.ipAddress);
    if (result.outcome !== 'verified') return this.refusePasskey(caller, result.reason);
    if (this.eligibility.refusal(result.user)) return this.refusePasskey(caller, 'inactive_user');
    // A passkey that verified always proves: only a session ended meanwhile leaves no mark.
    return this.proved(caller, 'passkey', () => Promise.resolve(true), result.passkeyId);
  }

  /**
   * Marks the session and records the success together, once `holds` (run in that transaction, where a
   * recovery code is spent) says the proof stands; undefined when it does not.
   */
  private async prove(
    caller: SignedInCaller,
    method: ReauthMethod,
    holds: (manager: EntityManager) => Promise<boolean>,
    passkeyId?: string,
  ): Promise<Date | undefined> {
    const at = this.clock.now();
    const { user, sessionId } = caller;
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (!(await holds(manager))) return 'refused';
      if (!(await this.sessions.markAuthenticated(sessionId, at, manager))) return 'session_ended';
      await this.audit.record(manager, {
        action: 'reauth.succeeded',
        actorId: user.id,
        targetUserId: user.id,
        details: { method, sessionId, ...(passkeyId ? { passkeyId } : {}) },
      });
      return 'proved';
    });
    if (outcome === 'session_ended') throw new UnauthorizedProblem();
    if (outcome === 'refused') return undefined;
    this.security.event('reauthenticated', { user_id: user.id, ip_address: caller.ipAddress, method });
    return at;
  }

  /** A passkey that is not the caller's, or did not verify: recorded on its own, never counted (no guess). */
  private async refusePasskey(caller: SignedInCaller, reason: PasskeySignInFailure): Promise<never> {
    const { user } = caller;
    const details = { route: REAUTHENTICATE_PASSKEY_ROUTE, method: 'passkey' } as const;
    await this.failures.record({
      event: 'reauth_failed',
      log: { user_id: user.id, ip_address: caller.ipAddress, ...details, reason },
      row: { action: 'reauth.failed', actorId: user.id, targetUserId: user.id, details, locked: false },
      countsAsLogin: false,
    });
    throw new PasskeyNotYours();
  }

  /** A proof that stands on its own (a password alone): the session is marked, or has ended (401). */
  private async proved(
    caller: SignedInCaller,
    method: ReauthMethod,
    holds: (manager: EntityManager) => Promise<boolean>,
    passkeyId?: string,
  ): Promise<Date> {
    const at = await this.prove(caller, method, holds, passkeyId);
    if (!at) throw new UnauthorizedProblem();
    return at;
  }
}
