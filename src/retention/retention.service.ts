import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditRetention } from '../audit/audit-retention';
import { OneTimeTokenRepository } from '../one-time-tokens/one-time-token.repository';
import { SessionsService } from '../sessions/sessions.service';
import { MailOutbox } from '../mail/mail-outbox';
import { MfaRetention } from '../mfa/mfa-retention';
import { KeyChanges, KeyHousekeeping } from '../keys/key-housekeeping';

const HOUR_MS = 3_600_000;
/** Ended sessions stay listed for a week (what a user or support may ask about), then go. */
const KEEP_ENDED_SESSIONS_DAYS = 7;

/**
 * Ends impersonation sessions past their end (recorded as admin.impersonation_ended, reason expired), then
 * deletes what no longer serves anyone: expired refresh tokens, long-ended sessions, finished one-time
 * tokens, delivered mail, finished MFA sign-in tokens, TOTP steps past their window and audit rows past
 * AUDIT_RETENTION_DAYS; and the signing keys' housekeeping (rotation due, keys past their last token).
 * Each table's owner does its own deleting; this only keeps the time.
 * Every instance runs it hourly; the deletes are idempotent, so instances need not coordinate.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private timer?: NodeJS.Timeout;
  private firstRun?: NodeJS.Timeout;

  constructor(
    private readonly sessions: SessionsService,
    private readonly oneTimeTokens: OneTimeTokenRepository,
    private readonly outbox: MailOutbox,
    private readonly mfa: MfaRetention,
    private readonly audit: AuditRetention,
    private readonly signingKeys: KeyHousekeeping,
  ) {}

  onApplicationBootstrap(): void {
    // Not at start: a fresh instance first serves, then tidies. unref: never keeps the process alive.
    this.firstRun = setTimeout(() => void this.purgeLogged(), 60_000).unref();
    this.timer = setInterval(() => void this.purgeLogged(), HOUR_MS).unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.firstRun);
    clearInterval(this.timer);
  }

  async purgeNow(): Promise<{
    impersonationsEnded: number;
    sessions: number;
    oneTimeTokens: number;
    mails: number;
    mfaLoginTokens: number;
    usedTotpSteps: number;
    auditEvents: number;
    signingKeys: KeyChanges;
  }> {
    return {
      // First, so that an expired impersonation is recorded as ended before its session may be purged.
      impersonationsEnded: await this.sessions.endExpiredImpersonations(),
      sessions: await this.sessions.purgeEnded(KEEP_ENDED_SESSIONS_DAYS),
      oneTimeTokens: await this.oneTimeTokens.purgeFinished(),
      mails: await this.outbox.purgeDelivered(),
      ...(await this.mfa.purge()),
      auditEvents: await this.audit.purgeExpired(),
      signingKeys: await this.signingKeys.runHousekeeping(),
    };
  }

  private async purgeLogged(): Promise<void> {
    try {
      const removed = await this.purgeNow();
      this.logger.log({ removed }, 'retention purge');
    } catch (error) {
      // A database outage only delays the tidying to the next hour.
      this.logger.warn({ err: error }, 'retention purge failed');
    }
  }
}
