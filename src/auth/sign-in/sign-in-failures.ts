import { Injectable } from '@nestjs/common';
import { AuditAction } from '../../audit/audit-actions';
import { AuditDetails } from '../../audit/audit-details';
import { AuditTrail } from '../../audit/audit-trail';
import { MetricsService } from '../../metrics/metrics.service';
import { SecurityDetails, SecurityEvent, SecurityLogger } from '../../security/security-logger';

/** The one answer to every failed sign-in step (password or second factor). */
export const LOGIN_FAILED = 'The email or password is incorrect';

/** The audit row of a failed proof (it changes nothing, so the row commits on its own). */
export interface FailureRow {
  action: Extract<AuditAction, 'login.failed' | 'mfa.failed' | 'reauth.failed'>;
  actorId: string | null;
  targetUserId: string | null;
  details: AuditDetails;
  /** The lockout's verdict on this failure started a lock: an `account.locked` row commits beside it. */
  locked: boolean;
}

export interface SignInFailure {
  /** The security log's line, written as given. */
  event: Extract<SecurityEvent, 'auth_attempt' | 'mfa_failed' | 'passkey_sign_in_failed' | 'reauth_failed'>;
  log: SecurityDetails;
  /** None for a refusal that judged no secret of an account (a dead token, an unknown passkey). */
  row?: FailureRow;
  /** A step-up of a signed-in user is no login: it is not counted with failed logins. */
  countsAsLogin?: boolean;
}

/** Records a refused sign-in of any method: the audit row (and the lock it started), the metric, the security log. */
@Injectable()
export class SignInFailures {
  constructor(
    private readonly audit: AuditTrail,
    private readonly metrics: MetricsService,
    private readonly security: SecurityLogger,
  ) {}

  async record({ event, log, row, countsAsLogin = true }: SignInFailure): Promise<void> {
    if (row) await this.write(row);
    if (countsAsLogin) this.metrics.loginAttempt('failure');
    this.security.warn(event, log);
  }

  private write({ locked, ...entry }: FailureRow): Promise<void> {
    // The lock row names the address when the failure did (a password's row; a code's row names none).
    return this.audit.recordFailure(entry, locked ? { email: entry.details.email } : undefined);
  }
}
