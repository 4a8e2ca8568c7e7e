import { Injectable, OnModuleInit } from '@nestjs/common';
import { hasInvisibleCharacters, normaliseEmail } from '../../common/email-address';
import { ProblemException } from '../../common/problem-details/problem.exception';
import { AuthConfig } from '../../config/auth.config';
import { MFA_METHODS, MfaChallenges, MfaMethod } from '../../mfa/mfa-challenges';
import { PasswordHasher } from '../../passwords/password-hasher';
import { LockoutAttempt } from '../../security/lockout/lockout-attempt';
import { LockoutService } from '../../security/lockout/lockout.service';
import { SecurityLogger } from '../../security/security-logger';
import { ClientInfo } from '../../sessions/sessions.service';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { UnauthorizedProblem } from '../guards/unauthorized.exception';
import { SessionIssuer, SignedIn } from './session-issuer';
import { SignInEligibility, SignInRefusal } from './sign-in-eligibility';
import { LOGIN_FAILED, SignInFailures } from './sign-in-failures';

/** A right password for an account with a second factor: no tokens yet, the code comes next. */
export interface MfaRequired {
  mfaRequired: true;
  mfaToken: string;
  methods: MfaMethod[];
}

/** What the failed login's audit row gives as its reason. */
type PasswordRefusal = SignInRefusal | 'bad_credentials';

/**
 * Sign-in with email and password (POST /user/auth/login). Unknown email, wrong password and an account
 * that may not sign in: one answer, about one duration. The attempt is reserved under the lockout before
 * the hash is checked, so that concurrent guesses cannot all get a verdict before one is counted.
 */
@Injectable()
export class PasswordSignIn implements OnModuleInit {
  /** Verified against when the email is unknown, so that answer takes as long as a wrong password. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly config: AuthConfig,
    private readonly lockout: LockoutService,
    private readonly eligibility: SignInEligibility,
    private readonly failures: SignInFailures,
    private readonly issuer: SessionIssuer,
    private readonly mfaChallenges: MfaChallenges,
    private readonly security: SecurityLogger,
  ) {}

  onModuleInit(): void {
    // Computed at start, off the event loop, so the first unknown-email login is not the slow one.
    this.dummyHashValue().catch(() => undefined);
  }

  async login(email: string, password: string, client: ClientInfo): Promise<SignedIn | MfaRequired> {
    const normalised = normaliseEmail(email);
    const user = await this.lockout.attempt(normalised, 'password', async (attempt) => {
      const found = hasInvisibleCharacters(email) ? null : await this.users.findByEmail(normalised);
      const passwordOk = await this.hasher.verify(password, found?.passwordHash || (await this.dummyHashValue()));
      if (!found || !passwordOk) return this.refuse(attempt, found, 'bad_credentials', client);
      const refusal = this.eligibility.refusal(found, client.ipAddress);
      if (refusal) return this.refuse(attempt, found, refusal, client);
      if (this.config.requireEmailVerification && !found.emailVerifiedAt)
        return this.unverified(attempt.email, found, client);
      // Half a sign-in does not clear the failures: the attempt goes back to the budget, and only a
      // completed second step (POST /user/auth/mfa) resets the count.
      await (found.mfaEnabled ? attempt.released() : attempt.succeeded());
      return found;
    });
    if (user.mfaEnabled) return this.secondFactorDue(user, client);
    const upgradedHash = await this.users.upgradedHash(user, password);
    return this.issuer.start(user, client, { action: 'login.succeeded', upgradedHash });
  }

  private async secondFactorDue(user: User, client: ClientInfo): Promise<MfaRequired> {
    const mfaToken = await this.mfaChallenges.begin(user);
    this.security.event('mfa_challenge_issued', { user_id: user.id, email: user.email, ip_address: client.ipAddress });
    return { mfaRequired: true, mfaToken, methods: [...MFA_METHODS] };
  }

  /** A wrong guess, or an account that may not sign in: counted under the lockout alike. */
  private async refuse(
    attempt: LockoutAttempt,
    user: User | null,
    reason: PasswordRefusal,
    client: ClientInfo,
  ): Promise<never> {
    const email = attempt.email;
    const locked = await attempt.failed(client.ipAddress);
    await this.failures.record({
      event: 'auth_attempt',
      log: { success: false, email, ip_address: client.ipAddress },
      row: {
        action: 'login.failed',
        actorId: null,
        targetUserId: user?.id ?? null,
        details: { email, reason },
        locked,
      },
    });
    throw new UnauthorizedProblem(LOGIN_FAILED);
  }

  /** The right password of an address not verified yet: no verdict, so the attempt goes back. */
  private async unverified(email: string, user: User, client: ClientInfo): Promise<never> {
    await this.failures.record({
      event: 'auth_attempt',
      log: { success: false, email, ip_address: client.ipAddress, reason: 'unverified' },
      row: {
        action: 'login.failed',
        actorId: null,
        targetUserId: user.id,
        details: { email, reason: 'email_unverified' },
        locked: false,
      },
    });
    throw new ProblemException(403, 'The email address of this account is not verified yet');
  }

  private async dummyHashValue(): Promise<string> {
    this.dummyHash ??= this.hasher.hash('an unguessable dummy password that no account has');
    return this.dummyHash;
  }
}
