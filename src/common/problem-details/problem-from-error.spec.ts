import { databaseUnavailable } from './problem-from-error';

describe('databaseUnavailable', () => {
  it('takes a lost server for an outage: a reset socket, a terminated connection, a shutdown', () => {
    expect(databaseUnavailable({ code: 'ECONNRESET' })).toBe(true);
    expect(databaseUnavailable({ message: 'Connection terminated unexpectedly' })).toBe(true);
    expect(databaseUnavailable({ name: 'QueryFailedError', driverError: { code: '57P01' } })).toBe(true);
  });

  it('takes a write refused by a standby (25006, read only) for an outage: there is no primary yet', () => {
    const refused = { name: 'QueryFailedError', message: 'cannot execute INSERT in a read-only transaction' };
    expect(databaseUnavailable({ ...refused, driverError: { code: '25006' } })).toBe(true);
  });

  it('leaves errors of the request itself alone: a duplicate, a bad value, a bug', () => {
    expect(databaseUnavailable({ name: 'QueryFailedError', driverError: { code: '23505' } })).toBe(false);
    expect(databaseUnavailable({ name: 'QueryFailedError', driverError: { code: '22P02' } })).toBe(false);
    expect(databaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(databaseUnavailable(undefined)).toBe(false);
  });
});
