import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { AuditTrail } from './audit-trail';
import { AuditEvent } from './entities/audit-event.entity';

const NOW = new Date('2026-12-06T12:00:00Z');
const FAILED = {
  action: 'login.failed',
  actorId: null,
  targetUserId: 'u-1',
  details: { email: 'a@example.com' },
} as const;

function trail(): { audit: AuditTrail; insert: jest.Mock } {
  const insert = jest.fn().mockResolvedValue(undefined);
  const events = { insert } as unknown as Repository<AuditEvent>;
  return { audit: new AuditTrail(events, { now: () => NOW } as Clock), insert };
}

describe('AuditTrail.recordFailure', () => {
  it('writes the failure alone, as a failure, when it started no lock', async () => {
    const { audit, insert } = trail();
    await audit.recordFailure(FAILED);
    expect(insert).toHaveBeenCalledTimes(1);
    expect(insert.mock.calls[0][0]).toMatchObject({ action: 'login.failed', outcome: 'failure', occurredAt: NOW });
  });

  it('writes the lock it started in the same statement, naming the address given', async () => {
    const { audit, insert } = trail();
    await audit.recordFailure(FAILED, { email: 'a@example.com' });
    expect(insert).toHaveBeenCalledTimes(1);
    const [failed, locked] = insert.mock.calls[0][0] as AuditEvent[];
    expect(failed).toMatchObject({ action: 'login.failed', outcome: 'failure' });
    expect(locked).toMatchObject({ action: 'account.locked', outcome: 'success', actorId: null, targetUserId: 'u-1' });
    expect(locked.details).toEqual({ email: 'a@example.com' });
  });

  it('writes a lock row without details when the failure named no address (a wrong code)', async () => {
    const { audit, insert } = trail();
    await audit.recordFailure({ ...FAILED, action: 'mfa.failed', details: { method: 'totp' } }, { email: undefined });
    const [, locked] = insert.mock.calls[0][0] as AuditEvent[];
    expect(locked.action).toBe('account.locked');
    expect(locked.details ?? {}).toEqual({});
  });
});
