import { IntSetting } from './setting.decorators';

/** The audit trail: how long its rows are kept. */
export class AuditConfig {
  @IntSetting('AUDIT_RETENTION_DAYS', 365, 1, 36500) retentionDays!: number;
}
