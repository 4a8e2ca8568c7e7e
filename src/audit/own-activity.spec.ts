import { AuditItem } from './audit-reader';
import { asOwnActivity } from './own-activity';

const OWNER = '11111111-1111-4111-8111-111111111111';
const ADMIN = '22222222-2222-4222-8222-222222222222';

const row = (actorId: string | null, details: AuditItem['details'] = {}): AuditItem => ({
  id: '33333333-3333-4333-8333-333333333333',
  occurredAt: '2026-12-06T10:00:00.000Z',
  action: 'admin.mfa_reset',
  outcome: 'success',
  actorId,
  targetUserId: OWNER,
  ipAddress: '198.51.100.7',
  userAgent: 'admin-console/1',
  requestId: '44444444-4444-4444-8444-444444444444',
  details,
});

describe('asOwnActivity', () => {
  it("shows another actor's row as an administrator's, without their id, address, agent or client id", () => {
    expect(asOwnActivity(row(ADMIN, { hadTotp: true, clientRequestId: 'admin-tool-1' }), OWNER)).toEqual({
      ...row(null, { hadTotp: true }),
      actor: 'administrator',
      ipAddress: null,
      userAgent: null,
    });
  });

  it("leaves the owner's own rows and actorless rows as they are", () => {
    expect(asOwnActivity(row(OWNER, { clientRequestId: 'mine' }), OWNER)).toEqual(
      row(OWNER, { clientRequestId: 'mine' }),
    );
    expect(asOwnActivity(row(null), OWNER)).toEqual(row(null));
  });
});
