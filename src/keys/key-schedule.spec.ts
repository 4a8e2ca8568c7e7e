import { ScheduledKey, KeySchedule, ScheduleSettings } from './key-schedule';

const MINUTE = 60_000;
const DAY = 86_400_000;
const settings: ScheduleSettings = {
  algorithm: 'ES256',
  tokenLifetimeMs: 30 * MINUTE,
  rotationMs: 30 * DAY,
  publishLeadMs: 10 * MINUTE,
};
const T0 = new Date('2026-12-01T00:00:00Z').getTime();
const at = (ms: number): Date => new Date(T0 + ms);

function key(
  kid: string,
  state: ScheduledKey['state'],
  signsFrom: number,
  extra: Partial<ScheduledKey> = {},
): ScheduledKey {
  return { kid, algorithm: 'ES256', state, signsFrom: at(signsFrom), retiredAt: null, createdAt: at(0), ...extra };
}

describe('KeySchedule', () => {
  it('makes a first key that signs at once and a next key when the table is empty', () => {
    const work = new KeySchedule([], settings).housekeeping(at(0));
    expect(work).toMatchObject({ createSigning: true, createNext: true, promote: [], retire: [], remove: [] });
  });

  it('switches to the next key at its signsFrom on time alone, before any write records it', () => {
    const schedule = new KeySchedule([key('a', 'signing', 0), key('b', 'next', 30 * DAY)], settings);
    expect(schedule.signing(at(30 * DAY - 1))?.kid).toBe('a');
    expect(schedule.signing(at(30 * DAY))?.kid).toBe('b');
    expect(schedule.housekeeping(at(30 * DAY))).toMatchObject({
      promote: ['b'],
      retire: [{ kid: 'a', at: at(30 * DAY) }],
      createNext: true,
    });
  });

  it("keeps a superseded key verifying and published until its last token's expiry plus a minute of skew", () => {
    const schedule = new KeySchedule([key('a', 'signing', 0), key('b', 'next', DAY)], settings);
    const a = schedule.keys[0];
    expect(schedule.accepts(a, at(DAY + 30 * MINUTE + 59_999))).toBe(true);
    expect(schedule.published(at(DAY + 31 * MINUTE - 1)).map((k) => k.kid)).toEqual(['a', 'b']);
    expect(schedule.accepts(a, at(DAY + 31 * MINUTE))).toBe(false);
    expect(schedule.published(at(DAY + 31 * MINUTE)).map((k) => k.kid)).toEqual(['b']);
  });

  it('removes retired and revoked keys once their tokens expired, and never accepts a revoked one', () => {
    const revoked = key('r', 'revoked', 0, { retiredAt: at(DAY) });
    const retired = key('o', 'retired', 0, { retiredAt: at(DAY) });
    const schedule = new KeySchedule(
      [revoked, retired, key('c', 'signing', DAY), key('n', 'next', 31 * DAY)],
      settings,
    );
    expect(schedule.accepts(revoked, at(DAY))).toBe(false);
    expect(schedule.accepts(retired, at(DAY + MINUTE))).toBe(true);
    expect(schedule.housekeeping(at(DAY + 30 * MINUTE)).remove).toEqual([]);
    expect(schedule.housekeeping(at(DAY + 31 * MINUTE)).remove).toEqual(['r', 'o']);
  });

  it('publishes a new next key a rotation after the current one, never sooner than the publish lead', () => {
    const schedule = new KeySchedule([key('a', 'signing', 0)], settings);
    expect(schedule.nextSignsFrom(at(DAY))).toEqual(at(30 * DAY));
    expect(schedule.nextSignsFrom(at(40 * DAY))).toEqual(at(40 * DAY + 10 * MINUTE));
    expect(schedule.earliestSwitch(key('b', 'next', 30 * DAY, { createdAt: at(DAY) }), at(DAY + MINUTE))).toEqual(
      at(DAY + 10 * MINUTE),
    );
  });

  it('retires the keys of another ALGORITHM at once, and refuses a kid whose key is of another algorithm', () => {
    const rsa = key('rsa', 'signing', 0, { algorithm: 'RS256' });
    const schedule = new KeySchedule([rsa], settings);
    expect(schedule.accepts(rsa, at(0))).toBe(false);
    expect(schedule.housekeeping(at(MINUTE))).toMatchObject({
      createSigning: true,
      retire: [{ kid: 'rsa', at: at(MINUTE) }],
    });
  });
});
