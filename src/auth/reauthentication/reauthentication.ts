import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditTrail } from '../../audit/audit-trail';
import { Clock } from '../../common/clock';
import { ValidationFailedException } from '../../common/problem-details/problem.exception';
import { FieldError } from '../../common/problem-details/problem';
import { WrongCodeException, WrongPasswordException } from '../../mfa/mfa.errors';
import { SecondFactorProof } from '../../mfa/second-factor-proof';
import { AuthenticationResponseDto } from '../../passkeys/dto/webauthn-credential.dto';
import { PasskeyNotYours, PasskeyReauthentication } from '../../passkeys/passkey-reauthentication';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LockoutService } from '../../security/lockout/lockout.service';
import { SecurityLogger } from '../../security/security-logger';
import { SessionsService } from '../../sessions/sessions.service';
import { SignedInCaller } from '../../users/authenticated-user';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';

export const REAUTHENTICATE_ROUTE = '/user/auth/reauthenticate';
export const REAUTHENTICATE_PASSKEY_ROUTE = '/user/auth/reauthenticate/passkey';

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
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly codes: SecondFactorProof,
    private readonly passkeys: PasskeyReauthentication,
    private readonly audit: AuditTrail,
    private readonly security: SecurityLogger,
    private readonly clock: Clock,
  ) {}

  /** The password, and a code when TOTP is on. */
  async withSecrets(caller: SignedInCaller, password?: string, code?: string): Promise<Date> {
    const { user } = caller;
    const missing: FieldError[] = [];
    if (!password) missing.push({ field: 'password', message: 'password is required' });
    if (user.mfaEnabled && !code)
      missing.push({ field: 'code', message: 'code is required: TOTP is on for this account' });
    if (!password || missing.length > 0) throw new ValidationFailedException(missing);

    await this.lockout.reserve(user.email);
    let settled = false;
    try {
      if (!(await this.hasher.verify(password, user.passwordHash))) {
        settled = true;
        return await this.refuse(caller, REAUTHENTICATE_ROUTE, 'password');
      }
      const verdict = user.mfaEnabled && code ? await this.codes.judge(user.id, code) : undefined;
      const at = await this.prove(caller, verdict?.method ?? 'password', (manager) =>
        verdict ? verdict.spend(manager) : Promise.resolve(true),
      );
      settled = true;
      if (!at) return await this.refuse(caller, REAUTHENTICATE_ROUTE, verdict?.method ?? 'totp');
      await this.lockout.settleSuccess(user.email);
      return at;
    } finally {
      // No verdict (a database error): the attempt goes back to the budget.
      if (!settled) await this.lockout.release(user.email).catch(() => undefined);
    }
  }

  /** An assertion of one of the caller's own passkeys, with user verification. */
  async withPasskey(caller: SignedInCaller, credential: AuthenticationResponseDto): Promise<Date> {
    const passkeyId = await this.passkeys.verify(caller.user.id, credential, caller.ipAddress);
    if (!passkeyId) return this.refuse(caller, REAUTHENTICATE_PASSKEY_ROUTE, 'passkey');
    const at = await this.prove(caller, 'passkey', () => Promise.resolve(true), passkeyId);
    // A passkey that verified always proves: only a session ended meanwhile leaves no mark.
    if (!at) throw new UnauthorizedProblem();
    return at;
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

  /** Counts the failure (a password or code), records it on its own, and answers 400 naming what was wrong. */
  private async refuse(caller: SignedInCaller, route: string, method: ReauthMethod): Promise<never> {
    const { user } = caller;
    const counted = method !== 'passkey';
    const locked = counted ? await this.lockout.settleFailure(user.email, caller.ipAddress) : false;
    const failed = {
      action: 'reauth.failed',
      actorId: user.id,
      targetUserId: user.id,
      details: { route, method },
    } as const;
    if (locked) {
      await this.audit.recordTogether([
        { ...failed, outcome: 'failure' },
        { action: 'account.locked', actorId: null, targetUserId: user.id, details: { email: user.email } },
      ]);
    } else {
      await this.audit.recordFailure(failed);
    }
    this.security.warn('reauth_failed', { user_id: user.id, ip_address: caller.ipAddress, route, method });
    if (method === 'password') throw new WrongPasswordException();
    if (method === 'passkey') throw new PasskeyNotYours();
    throw new WrongCodeException('code from the authenticator app or recovery code');
  }
}
