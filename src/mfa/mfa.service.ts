import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { MfaConfig } from '../config/mfa.config';
import { AuditTrail } from '../audit/audit-trail';
import { SecurityNotifications } from '../notifications/security-notifications';
import { SecurityLogger } from '../security/security-logger';
import { RecentProof } from '../sessions/recent-proof/recent-proof';
import { SessionsService } from '../sessions/sessions.service';
import { SignedInCaller } from '../users/authenticated-user';
import { ProofAttempts, ProofContext } from '../users/proof-attempts';
import { UsersService } from '../users/users.service';
import {
  NoPendingTotpException,
  TotpAlreadyEnabledException,
  TotpNotEnabledException,
  WrongCodeException,
  WrongPasswordException,
} from './mfa.errors';
import { RecoveryCodeRepository } from './recovery-code.repository';
import { SecondFactorRemoval } from './second-factor-removal';
import { looksLikeRecoveryCode } from './recovery-code-format';
import { totpUri } from './totp-codes';
import { TotpFactorRepository } from './totp-factor.repository';

const DISABLE_ROUTE = 'POST /user/mfa/totp/disable';
const RECOVERY_CODES_ROUTE = 'POST /user/mfa/recovery-codes';

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrCodeSvg: string;
}

/** The account's own second-factor changes (TOTP and recovery codes) and the administrator's reset. */
@Injectable()
export class MfaService {
  constructor(
    private readonly audit: AuditTrail,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totp: TotpFactorRepository,
    private readonly recoveryCodes: RecoveryCodeRepository,
    private readonly removal: SecondFactorRemoval,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly recentProof: RecentProof,
    private readonly proofs: ProofAttempts,
    private readonly security: SecurityLogger,
    private readonly config: MfaConfig,
    private readonly notifications: SecurityNotifications,
  ) {}

  async setup(caller: SignedInCaller): Promise<TotpSetup> {
    const { user } = caller;
    if (await this.totp.find(user.id, 'enabled')) throw new TotpAlreadyEnabledException();
    const secret = await this.totp.startPending(user.id);
    if (!secret) throw new TotpAlreadyEnabledException();
    const otpauthUrl = totpUri(secret, this.config.issuer, user.email);
    const qrCodeSvg = await QRCode.toString(otpauthUrl, { type: 'svg', margin: 2 });
    this.security.event('mfa_setup_started', { user_id: user.id, ip_address: caller.ipAddress });
    return { secret, otpauthUrl, qrCodeSvg };
  }

  async enable(caller: SignedInCaller, code: string): Promise<string[]> {
    const { user } = caller;
    if (await this.totp.find(user.id, 'enabled')) throw new TotpAlreadyEnabledException();
    const pending = await this.totp.findLivePending(user.id);
    if (!pending) throw new NoPendingTotpException();
    // The setup was made under a recent proof; this session's proof must have been recent then.
    await this.recentProof.requireAt(caller.sessionId, pending.createdAt);
    if (!(await this.totp.acceptCode(pending, code))) {
      this.security.warn('mfa_failed', { user_id: user.id, ip_address: caller.ipAddress, action: 'totp_enable' });
      throw new WrongCodeException('code from the authenticator app');
    }
    const codes = await this.dataSource.transaction(async (manager) => {
      if (!(await this.totp.enable(pending, manager))) return null;
      const fresh = await this.recoveryCodes.replace(user.id, manager);
      await this.users.setMfaEnabled(user.id, true, manager);
      await this.sessions.revokeOthers(user.id, caller.sessionId, 'mfa_enabled', manager);
      await this.audit.record(manager, { action: 'mfa.enabled', ...this.byOwner(caller), details: { method: 'totp' } });
      const enabled = await this.totp.find(user.id, 'enabled', manager);
      if (enabled?.enabledAt) {
        await this.notifications.queue(manager, user, { event: 'totp_enabled', enabledAt: enabled.enabledAt });
      }
      return fresh;
    });
    if (!codes) throw new NoPendingTotpException();
    this.notifications.sent();
    this.security.event('mfa_enabled', { user_id: user.id, ip_address: caller.ipAddress, method: 'totp' });
    return codes;
  }

  /**
   * The password and a current code (TOTP or a recovery code) prove the owner is at the keyboard; each
   * is judged under the account lockout, a recovery code spent in the transaction that removes TOTP.
   */
  async disable(caller: SignedInCaller, password: string, code: string): Promise<void> {
    const { user } = caller;
    const factor = await this.totp.find(user.id, 'enabled');
    if (!factor) throw new TotpNotEnabledException();
    await this.assertPassword(caller, password, DISABLE_ROUTE);
    const method = looksLikeRecoveryCode(code) ? 'recovery_code' : 'totp';
    const removed = await this.proofs.judge(this.proofContext(caller, DISABLE_ROUTE), method, async () => {
      const totpAccepted = method === 'totp' && (await this.totp.acceptCode(factor, code));
      return this.dataSource.transaction(async (manager) => {
        if (!totpAccepted && !(await this.recoveryCodes.consume(user.id, code, manager))) return false;
        await this.removal.removeTotp(user.id, manager);
        await this.sessions.revokeOthers(user.id, caller.sessionId, 'mfa_disabled', manager);
        await this.audit.record(manager, {
          action: 'mfa.disabled',
          ...this.byOwner(caller),
          details: { method: 'totp' },
        });
        await this.notifications.queue(manager, user, { event: 'totp_disabled' });
        return true;
      });
    });
    if (!removed) throw new WrongCodeException('code from the authenticator app or recovery code');
    this.notifications.sent();
    this.security.event('mfa_disabled', { user_id: user.id, ip_address: caller.ipAddress, method: 'totp' });
  }

  async regenerateRecoveryCodes(caller: SignedInCaller, password: string): Promise<string[]> {
    const { user } = caller;
    if (!(await this.totp.find(user.id, 'enabled'))) throw new TotpNotEnabledException();
    await this.assertPassword(caller, password, RECOVERY_CODES_ROUTE);
    const codes = await this.dataSource.transaction(async (manager) => {
      const fresh = await this.recoveryCodes.replace(user.id, manager);
      await this.sessions.revokeOthers(user.id, caller.sessionId, 'mfa_recovery_codes_regenerated', manager);
      await this.audit.record(manager, { action: 'recovery_codes.regenerated', ...this.byOwner(caller) });
      await this.notifications.queue(manager, user, { event: 'recovery_codes_regenerated' });
      return fresh;
    });
    this.notifications.sent();
    this.security.event('mfa_recovery_codes_regenerated', { user_id: user.id, ip_address: caller.ipAddress });
    return codes;
  }

  /**
   * The secure-account step: the TOTP factor a notified event enabled goes with its recovery codes, if
   * it is still that factor (one enabled later by the owner stays). Answers whether it went.
   */
  async removeAddedTotp(userId: string, enabledAt: Date, manager: EntityManager): Promise<boolean> {
    const factor = await this.totp.find(userId, 'enabled', manager);
    if (factor?.enabledAt?.getTime() !== enabledAt.getTime()) return false;
    return this.removal.removeTotp(userId, manager);
  }

  /** A sign-in waiting for its second factor must not finish once every session of the user has ended. */
  async endPendingSignIns(userId: string, manager: EntityManager): Promise<void> {
    await this.removal.endPendingSignIns(userId, manager);
  }

  /** A change the account's owner made to their own factors. */
  private byOwner(caller: SignedInCaller): { actorId: string; targetUserId: string } {
    return { actorId: caller.user.id, targetUserId: caller.user.id };
  }

  private proofContext(caller: SignedInCaller, route: string): ProofContext {
    return { user: caller.user, route, ipAddress: caller.ipAddress };
  }

  private async assertPassword(caller: SignedInCaller, password: string, route: string): Promise<void> {
    if (!(await this.proofs.passwordMatches(this.proofContext(caller, route), password))) {
      throw new WrongPasswordException();
    }
  }
}
