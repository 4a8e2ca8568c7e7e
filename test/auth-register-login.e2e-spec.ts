import { createHmac } from 'node:crypto';
import * as bcrypt from 'bcrypt';
import { User } from '../src/users/entities/user.entity';
import { UsersService } from '../src/users/users.service';
import { cookieValue, login, register, setCookie, STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { SERVER_DATABASE_URL, startTestApp, TestApp } from './support/test-app';

describe('registration and login', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload: payload as string, headers });

  async function userRow(email: string): Promise<User | null> {
    return t.dataSource.getRepository(User).findOneBy({ email });
  }

  it('registers from the original README form post, ignoring unknown fields such as role', async () => {
    const email = uniqueEmail('form');
    const res = await post(
      '/user/auth/register',
      `firstName=John&lastName=Doe&email=${encodeURIComponent(email)}&password=SecurePass123!&role=admin&isActive=false`,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(res.statusCode).toBe(201);
    const body = res.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        'createdAt',
        'email',
        'emailVerified',
        'firstName',
        'id',
        'isActive',
        'lastLoginAt',
        'lastName',
        'mfaEnabled',
        'passkeyCount',
        'role',
        'updatedAt',
      ].sort(),
    );
    expect(body).toMatchObject({
      firstName: 'John',
      lastName: 'Doe',
      email,
      role: 'user',
      isActive: true,
      emailVerified: false,
    });
    const row = await userRow(email);
    expect(row?.role).toBe('user');
    expect(row?.passwordHash).toMatch(/^\$hs384n\$2b\$04\$/);
    expect(res.body).not.toContain('passwordHash');
  });

  it('stores emails trimmed, NFC-normalised and lower-cased, so case variants are one account', async () => {
    const local = `Mixed.${Date.now()}`;
    const res = await post('/user/auth/register', {
      firstName: '  Ann ',
      lastName: 'Lee',
      email: `  ${local}@Example.COM `,
      password: STRONG_PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email: `${local.toLowerCase()}@example.com`, firstName: 'Ann' });
    const again = await post('/user/auth/register', {
      firstName: 'Ann',
      lastName: 'Lee',
      email: `${local.toLowerCase()}@example.com`,
      password: STRONG_PASSWORD,
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses emails with invisible or direction-changing characters', async () => {
    for (const email of ['jo\u200Bhn@example.com', 'john\u202E@example.com', 'jo\u00ADhn@example.com']) {
      const res = await post('/user/auth/register', {
        firstName: 'J',
        lastName: 'D',
        email,
        password: STRONG_PASSWORD,
      });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('email');
    }
  });

  it('applies the password policy where a password is set', async () => {
    const email = uniqueEmail('policy');
    for (const password of [
      'password',
      'Password1!',
      'qwerty123456',
      'short',
      'x'.repeat(129),
      email,
      email.split('@')[0].toUpperCase(),
    ]) {
      const res = await post('/user/auth/register', { firstName: 'P', lastName: 'Q', email, password });
      expect(res.statusCode).toBe(400);
      const body = res.json() as { errors: { field: string; message: string }[] };
      expect(body.errors[0].field).toBe('password');
    }
    expect(await userRow(email)).toBeNull();
  });

  it('reports a missing form field once, as required', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/user/auth/register',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `lastName=Doe&email=${encodeURIComponent(uniqueEmail('missing'))}&password=SecurePass123!`,
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { errors: unknown[] }).errors).toEqual([
      { field: 'firstName', message: 'firstName is required' },
    ]);
  });

  it('validates names and reports every field', async () => {
    const res = await post('/user/auth/register', {
      firstName: '   ',
      lastName: 'a\u0007b',
      email: 'not-an-email',
      password: 1,
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email', 'password']));
  });

  it('logs in with cookies set exactly as the contract says', async () => {
    const account = await register(t.app);
    const res = await post(
      '/user/auth/login',
      `email=${encodeURIComponent(account.email)}&password=${encodeURIComponent(account.password)}`,
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800, user: { email: account.email } });
    expect((body.user as { lastLoginAt: string | null }).lastLoginAt).not.toBeNull();
    expect(setCookie(res, 'user_session')).toBe(
      `user_session=${body.accessToken as string}; Max-Age=1800; Path=/; HttpOnly; SameSite=Lax`,
    );
    expect(setCookie(res, 'user_refresh')).toBe(
      `user_refresh=${body.refreshToken as string}; Max-Age=604800; Path=/user/auth; HttpOnly; SameSite=Lax`,
    );
    expect((body.refreshToken as string).length).toBeGreaterThanOrEqual(43);
    const me = await t.app.inject({
      method: 'GET',
      url: '/user/me',
      headers: { cookie: `user_session=${cookieValue(res, 'user_session')}` },
    });
    expect(me.statusCode).toBe(200);
  });

  it('answers unknown email, wrong password and deactivated account with the same 401', async () => {
    const account = await register(t.app);
    const deactivated = await register(t.app);
    await t.dataSource.getRepository(User).update({ id: deactivated.id }, { isActive: false });
    const answers = await Promise.all([
      post('/user/auth/login', { email: uniqueEmail('nobody'), password: STRONG_PASSWORD }),
      post('/user/auth/login', { email: account.email, password: 'Wrong-Password-123' }),
      post('/user/auth/login', { email: deactivated.email, password: deactivated.password }),
    ]);
    const bodies = answers.map((res) => {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      const { requestId: _id, ...rest } = res.json() as Record<string, unknown>;
      return rest;
    });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(await t.waitForLog('security.log', /"event_type":"auth_attempt"/)).toMatch(/"event_type":"auth_attempt"/);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(Number(/^auth_logins_total\{result="failure"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
  });

  it('carries the request id into every log line of the request, security events included', async () => {
    const account = await register(t.app);
    const res = await post('/user/auth/login', account, { 'x-request-id': 'login-context-check' });
    expect(res.statusCode).toBe(200);
    const security = await t.waitForLog('security.log', /"request_id":"login-context-check"/);
    expect(security).toMatch(
      /"request_id":"login-context-check".*"event_type":"auth_attempt"|"event_type":"auth_attempt".*"request_id":"login-context-check"/,
    );
    const app = await t.waitForLog('app.log', /"request_id":"login-context-check".*"message":"request completed"/);
    const lines = app.split('\n').filter((line) => line.includes('login-context-check'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({
      path: '/user/auth/login',
      status_code: 200,
    });
  });

  it('does not let a login that raced a password change undo it', async () => {
    const account = await register(t.app);
    const seenByLogin = (await t.dataSource.getRepository(User).findOneBy({ id: account.id })) as User;
    // A password change commits between the login's password check and its writes.
    await t.dataSource.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [account.id]);
    const recorded = await t.dataSource.transaction((manager) =>
      t.app.get(UsersService).recordLogin(seenByLogin, '$hs384$2b$04$stale-upgrade-of-the-old-password', manager),
    );
    expect(recorded).toBe(false);
    const row = await t.dataSource.getRepository(User).findOneBy({ id: account.id });
    expect(row?.passwordHash).toBe(seenByLogin.passwordHash);
    expect(row?.lastLoginAt).toBeNull();
  });

  it('never truncates: passwords sharing their first 72 bytes are different passwords', async () => {
    const prefix = 'Correct-Horse-Battery-Staple-'.repeat(3).slice(0, 72);
    const account = await register(t.app, { password: `${prefix}-first-ending` });
    const wrong = await post('/user/auth/login', { email: account.email, password: `${prefix}-other-ending` });
    expect(wrong.statusCode).toBe(401);
    await expect(login(t.app, account)).resolves.toMatchObject({ email: account.email });
  });

  it('verifies a hash written by the original service and upgrades it on login', async () => {
    const account = await register(t.app);
    const legacy = await bcrypt.hash(account.password, 4);
    await t.dataSource.getRepository(User).update({ id: account.id }, { passwordHash: legacy });
    await login(t.app, account);
    const row = await userRow(account.email);
    expect(row?.passwordHash).toMatch(/^\$hs384n\$2b\$04\$/);
    await login(t.app, account);
  });

  it('takes a password in either Unicode form: set as NFC, typed as NFD, and the other way round', async () => {
    const nfc = 'Café-Crème-Brûlée-1'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    for (const [set, typed] of [
      [nfc, nfd],
      [nfd, nfc],
    ]) {
      const account = await register(t.app, { password: set });
      await expect(login(t.app, { email: account.email, password: typed })).resolves.toMatchObject({
        email: account.email,
      });
      await expect(login(t.app, account)).resolves.toMatchObject({ email: account.email });
    }
  });

  it('verifies a hash made from an unnormalised password as typed, then re-hashes it from the NFC form', async () => {
    const nfd = 'Café-Crème-Brûlée-2'.normalize('NFD');
    const account = await register(t.app, { password: nfd });
    // What the service stored before passwords were normalised: HMAC-SHA-384 of the NFD bytes, no pepper.
    const prehashed = createHmac('sha384', '').update(nfd, 'utf8').digest('base64');
    const unnormalised = `$hs384${await bcrypt.hash(prehashed, 4)}`;
    await t.dataSource.getRepository(User).update({ id: account.id }, { passwordHash: unnormalised });
    await login(t.app, account);
    const row = await userRow(account.email);
    expect(row?.passwordHash).toMatch(/^\$hs384n\$2b\$04\$/);
    await login(t.app, { email: account.email, password: nfd.normalize('NFC') });
    await login(t.app, account);
  });

  it('refuses other content types, oversized bodies, bad JSON and prototype keys, changing nothing', async () => {
    const url = '/user/auth/register';
    const before = await t.dataSource.getRepository(User).count();
    const text = await post(url, 'firstName=A', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    const huge = await post(url, JSON.stringify({ firstName: 'x'.repeat(2 * 1024 * 1024) }), {
      'content-type': 'application/json',
    });
    expect(huge.statusCode).toBe(413);
    const malformed = await post(url, '{"firstName":', { 'content-type': 'application/json' });
    expect(malformed.statusCode).toBe(400);
    const proto = await post(
      url,
      `{"firstName":"A","lastName":"B","email":"${uniqueEmail()}","password":"${STRONG_PASSWORD}","__proto__":{"role":"admin"}}`,
      { 'content-type': 'application/json' },
    );
    expect(proto.statusCode).toBe(400);
    const ctor = await post(url, '{"constructor":{"prototype":{"x":1}}}', { 'content-type': 'application/json' });
    expect(ctor.statusCode).toBe(400);
    for (const res of [text, huge, malformed, proto, ctor]) {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).not.toMatch(/FST_|at .*\.js:\d+/);
    }
    expect(await t.dataSource.getRepository(User).count()).toBe(before);
  });

  it('lets the unique index decide a registration race: one 201, eleven 409', async () => {
    const email = uniqueEmail('race');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        post('/user/auth/register', { firstName: 'R', lastName: 'C', email, password: STRONG_PASSWORD }),
      ),
    );
    const statuses = answers.map((res) => res.statusCode).sort();
    expect(statuses).toEqual([201, ...Array(11).fill(409)]);
    expect(await t.dataSource.getRepository(User).countBy({ email })).toBe(1);
    if (!SERVER_DATABASE_URL) expect(statuses[0]).toBe(201); // embedded: same contract, serialised by PGlite
  });
});
