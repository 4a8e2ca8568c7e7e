import { AddressInfo } from 'node:net';
import { KeyRotationCommand } from '../src/keys/key-rotation.command';
import { SigningKeys } from '../src/keys/signing-keys';
import { RetentionService } from '../src/retention/retention.service';
import { bearer, Credentials, login, register } from './support/accounts';
import { ControlledClock } from './support/controlled-clock';
import { RemoteVerifier } from './support/remote-verifier';
import { claimsOf, headerOf, jwksOf, mint, privateKeyOf, storedKeys } from './support/signing-keys';
import { createTestDatabase, SERVER_DATABASE_URL, startTestApp, TestApp, TestDatabase } from './support/test-app';
import { get } from './support/http';

const MINUTE = 60_000;
const DAY = 86_400_000;
// A day between rotations, a next key published 2 minutes before it signs, tokens of 5 minutes.
const ENV = { KEY_ROTATION_DAYS: '1', JWKS_MAX_AGE_SECONDS: '60', ACCESS_TOKEN_EXPIRE_MINUTES: '5' };

jest.setTimeout(120_000);

/**
 * Two instances behind one load balancer, on one database and one (controlled) time. On the embedded
 * database one process holds it, so there the second instance is the first one again.
 */
describe('signing key rotation under a controlled clock', () => {
  const clock = new ControlledClock();
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let verifier: RemoteVerifier;
  let credentials: Credentials;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startTestApp({ clock, database, env: ENV });
    b = SERVER_DATABASE_URL ? await startTestApp({ clock, database, env: ENV }) : a;
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    verifier = await RemoteVerifier.start(`http://127.0.0.1:${(a.app.getHttpServer().address() as AddressInfo).port}`);
    credentials = await register(a.app);
  });
  afterAll(async () => {
    verifier?.stop();
    await a?.close();
    if (b !== a) await b?.close();
    await database?.drop();
  });

  const signIn = async (t: TestApp): Promise<string> => (await login(t.app, credentials)).accessToken;
  const statusOf = async (t: TestApp, token: string): Promise<number> =>
    (await get(t.app, '/user/me', bearer(token))).statusCode;
  const kidOf = (token: string): string | undefined => headerOf(token).kid;
  /** What every instance's 60 s timer does. */
  const rereadEverywhere = async (): Promise<void> => {
    for (const t of new Set([a, b])) await t.app.get(SigningKeys).reread();
  };
  const published = async (t: TestApp): Promise<string[]> => (await jwksOf(t.app)).keys.map((key) => key.kid);

  it('publishes the next key before it signs, switches both instances at once, and keeps old tokens until they expire', async () => {
    // The first sign-in makes the first key (signing at once) and the next one.
    const firstOfA = await signIn(a);
    const [first, next] = await storedKeys(a.app);
    const firstPrivateKey = privateKeyOf(a.app, first);
    expect(next.signsFrom.getTime() - first.signsFrom.getTime()).toBe(DAY);
    expect([kidOf(firstOfA), kidOf(await signIn(b))]).toEqual([first.kid, first.kid]);
    expect(await published(b)).toEqual([first.kid, next.kid]);

    // A minute before the switch: the old key's last tokens.
    clock.advance(next.signsFrom.getTime() - clock.now().getTime() - MINUTE);
    const lastOfA = await signIn(a);
    const lastOfB = await signIn(b);
    expect([kidOf(lastOfA), kidOf(lastOfB)]).toEqual([first.kid, first.kid]);
    // Past the switch, with no re-read on either instance: both sign with the next key, by its signsFrom.
    clock.advance(2 * MINUTE);
    const newOfA = await signIn(a);
    const newOfB = await signIn(b);
    expect([kidOf(newOfA), kidOf(newOfB)]).toEqual([next.kid, next.kid]);
    for (const token of [lastOfA, lastOfB, newOfA, newOfB]) {
      expect([await statusOf(a, token), await statusOf(b, token)]).toEqual([200, 200]);
    }
    expect(await verifier.verify(lastOfB, clock.now())).toMatchObject({ ok: true, kid: first.kid });
    expect(await verifier.verify(newOfA, clock.now())).toMatchObject({ ok: true, kid: next.kid });

    // The retention job records the switch and publishes a new next key; instances re-read within 60 s.
    await a.app.get(RetentionService).purgeNow();
    await rereadEverywhere();
    const rows = await storedKeys(a.app);
    expect(rows.map((row) => [row.kid, row.state])).toEqual([
      [first.kid, 'retired'],
      [next.kid, 'signing'],
      [expect.any(String), 'next'],
    ]);
    expect(await published(b)).toEqual(rows.map((row) => row.kid));

    // Past the old key's last token (5 minutes, and a minute for clock skew): it leaves the set.
    clock.advance(6 * MINUTE);
    expect(await published(a)).toEqual([next.kid, rows[2].kid]);
    const late = mint(claimsOf(lastOfA), firstPrivateKey, { alg: 'ES256', kid: first.kid }, clock.now());
    expect([await statusOf(a, late), await statusOf(b, late), await statusOf(a, lastOfA)]).toEqual([401, 401, 401]);
    expect(await verifier.verify(late, clock.now())).toMatchObject({ ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' });
    await a.app.get(RetentionService).purgeNow();
    expect((await storedKeys(b.app)).map((row) => row.kid)).toEqual([next.kid, rows[2].kid]);
  });

  it('rotates now with rotate-keys, and --revoke-current refuses the revoked key’s tokens everywhere', async () => {
    const printed: string[] = [];
    const print = (line: string): void => void printed.push(line);
    const [current, next] = await storedKeys(a.app);
    const byCurrent = await signIn(a);
    const before = clock.now();
    await a.app.get(KeyRotationCommand).runRotateKeys(false, print);
    // Published long enough ago (more than 2 × JWKS_MAX_AGE_SECONDS): it signs from now.
    expect(printed).toEqual([
      expect.stringMatching(
        `^key ${next.kid} signs from (\\S+); key ${current.kid} retires then, published until its last token expires$`,
      ),
    ]);
    const switchAt = new Date(/signs from (\S+);/.exec(printed[0])?.[1] ?? '');
    expect(switchAt >= before && switchAt <= clock.now()).toBe(true);
    await rereadEverywhere();
    const byNext = await signIn(b);
    expect(kidOf(byNext)).toBe(next.kid);
    expect(await statusOf(a, byCurrent)).toBe(200);

    await a.app.get(KeyRotationCommand).runRotateKeys(true, print);
    expect(printed[1]).toMatch(
      new RegExp(`^key ${next.kid} revoked: its tokens are refused within 60 s; key \\S+ signs now$`),
    );
    await rereadEverywhere();
    expect([await statusOf(a, byNext), await statusOf(b, byNext)]).toEqual([401, 401]);
    expect(await verifier.verify(byNext, clock.now())).toMatchObject({ ok: false, code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(await published(a)).not.toContain(next.kid);
    const afterRevocation = await signIn(a);
    expect(kidOf(afterRevocation)).not.toBe(next.kid);
    expect(await statusOf(b, afterRevocation)).toBe(200);
    // A retired key is no compromise: its tokens live on.
    expect(await statusOf(b, byCurrent)).toBe(200);
  });
});

describe('two instances starting together on an empty signing_keys', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const starting = [startTestApp({ database })];
    if (SERVER_DATABASE_URL) starting.push(startTestApp({ database }));
    const apps = await Promise.all(starting);
    a = apps[0];
    b = apps[1] ?? apps[0];
  });
  afterAll(async () => {
    await a?.close();
    if (b !== a) await b?.close();
    await database?.drop();
  });

  it('make one first key between them (the advisory lock), and sign with it', async () => {
    const credentials = await register(a.app);
    const [fromA, fromB] = await Promise.all([login(a.app, credentials), login(b.app, credentials)]);
    const rows = await storedKeys(a.app);
    expect(rows.map((row) => row.state)).toEqual(['signing', 'next']);
    expect([headerOf(fromA.accessToken).kid, headerOf(fromB.accessToken).kid]).toEqual([rows[0].kid, rows[0].kid]);
  });
});
