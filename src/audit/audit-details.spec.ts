import { AuditEntry } from './audit-trail';
import { cleanDetails } from './audit-details';

describe('audit details', () => {
  it('are typed by their keys: a misspelt key does not compile (npm run lint type-checks this file)', () => {
    const entry: AuditEntry = {
      action: 'admin.user_updated',
      actorId: null,
      targetUserId: null,
      // @ts-expect-error 'rol' is no key of AUDIT_DETAIL_KEYS
      details: { rol: 'admin' },
    };
    expect(cleanDetails(entry.details)).toEqual({});
  });

  it('keep only known keys with scalar values at run time too, and cut long text', () => {
    const loose = { role: 'admin', password: 'hunter2', sessionId: 'x'.repeat(400), removed: [1] } as object;
    expect(cleanDetails(loose)).toEqual({ role: 'admin', sessionId: 'x'.repeat(320) });
  });
});
