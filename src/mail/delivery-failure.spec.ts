import { backoffSeconds, describeFailure, isPermanentRejection, isServerUnavailable } from './delivery-failure';

describe('delivery failures', () => {
  it('backs off 1, 2, 4, 8, 16 seconds, then stays at 30', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffSeconds)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('tells an unreachable server from a refused message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNECTION' });
    const busy = Object.assign(new Error('421 try later'), { code: 'EENVELOPE', responseCode: 421 });
    const rejected = Object.assign(new Error('550 no such user'), { code: 'EENVELOPE', responseCode: 550 });
    expect([refused, busy, rejected].map(isServerUnavailable)).toEqual([true, true, false]);
    expect([refused, busy, rejected].map(isPermanentRejection)).toEqual([false, false, true]);
    expect(describeFailure(rejected)).toBe('EENVELOPE: 550 no such user');
    expect(describeFailure(new Error('x'.repeat(600)))).toHaveLength(500);
  });
});
