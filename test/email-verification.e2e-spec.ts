import { bearer, login, register, STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { mailPart, TestSmtpServer, tokenFromMail } from './support/test-smtp-server';
import { get, post } from './support/http';

const APP_URL = 'https://accounts.example.com';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** What must be identical for every refused token (instance and requestId differ per request). */
function sameParts(problem: Problem): Problem {
  const { type, title, status, detail, errors } = problem;
  return { type, title, status, detail, errors };
}

describe('Email verification over SMTP', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, APP_URL, APP_NAME: 'Acme Accounts', MAIL_FROM: 'accounts@example.com' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  function verify(token: unknown, form = false): ReturnType<TestApp['app']['inject']> {
    return form
      ? post(t.app, '/user/auth/verify-email', `token=${encodeURIComponent(String(token))}`, {
          'content-type': 'application/x-www-form-urlencoded',
        })
      : post(t.app, '/user/auth/verify-email', { token });
  }

  it('mails a link on registration; following it verifies once, the second time is 400', async () => {
    const email = uniqueEmail('verify');
    const account = await register(t.app, { email, firstName: '<b>Jo & "Co"</b>' });
    const [mail] = await smtp.waitFor(email);
    expect(mail.from).toBe('accounts@example.com');
    expect(mail.raw).toMatch(/^Subject: Confirm your email address for Acme Accounts/m);
    // The name is user input: escaped in the HTML part, as typed in the plain-text part.
    const html = mailPart(mail, 'text/html');
    const text = mailPart(mail, 'text/plain');
    expect(html).toContain('<p>Hello &lt;b&gt;Jo &amp; &quot;Co&quot;&lt;/b&gt;,</p>');
    expect(html).not.toContain('<b>Jo');
    expect(html).toContain(`<a href="${APP_URL}/verify-email?token=`);
    expect(text).toContain('Hello <b>Jo & "Co"</b>,');
    expect(text).toContain(`${APP_URL}/verify-email?token=`);
    const token = tokenFromMail(mail, '/verify-email');
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);

    const me = await login(t.app, account);
    const before = await get(t.app, '/user/me', bearer(me.accessToken));
    expect(before.json()).toMatchObject({ emailVerified: false });

    const first = await verify(token, true);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: account.id, email, emailVerified: true });
    expect(first.json()).not.toHaveProperty('passwordHash');
    const after = await get(t.app, '/user/me', bearer(me.accessToken));
    expect(after.json()).toMatchObject({ emailVerified: true });

    const again = await verify(token);
    expect(again.statusCode).toBe(400);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unknown = await verify('x'.repeat(43));
    const malformed = await verify('');
    const tooLong = await verify('y'.repeat(600));
    const notText = await verify(12345);
    expect(unknown.statusCode).toBe(400);
    for (const other of [unknown, malformed, tooLong, notText]) {
      expect(sameParts(other.json() as Problem)).toEqual(sameParts(again.json() as Problem));
    }

    await t.waitForLog('security.log', /"email_verified"/);
    const security = t.readLog('security.log');
    expect(security).toMatch(/"event_type":"verification_sent".*"user_id":"/);
    expect(security).toMatch(/"event_type":"email_verified"/);
    // The token reaches only the mailbox: never a log line.
    for (const file of ['app.log', 'security.log', 'error.log'] as const) expect(t.readLog(file)).not.toContain(token);
  });

  it('mails a new link on request; the older one stops working; the route needs a signed-in user', async () => {
    const email = uniqueEmail('again');
    const account = await register(t.app, { email });
    const [original] = await smtp.waitFor(email);
    const client = await login(t.app, account);

    const anonymous = await post(t.app, '/user/auth/verify-email/request');
    expect(anonymous.statusCode).toBe(401);
    const requested = await post(t.app, '/user/auth/verify-email/request', undefined, bearer(client.accessToken));
    expect(requested.statusCode).toBe(202);
    expect(requested.json()).toEqual({ message: expect.any(String) });
    const [, fresh] = await smtp.waitFor(email, { count: 2 });

    const old = await verify(tokenFromMail(original, '/verify-email'));
    expect(old.statusCode).toBe(400);
    const ok = await verify(tokenFromMail(fresh, '/verify-email'));
    expect(ok.statusCode).toBe(200);

    // Verified: a further request answers 202 and sends nothing.
    const more = await post(t.app, '/user/auth/verify-email/request', undefined, bearer(client.accessToken));
    expect(more.statusCode).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(smtp.to(email)).toHaveLength(2);
  });

  it('documents the four mail routes in OpenAPI: both body types, responses and problems', async () => {
    type Operation = {
      security?: unknown[];
      requestBody?: { content: Record<string, unknown> };
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
    };
    const document = (await get(t.app, '/openapi.json')).json() as {
      paths: Record<string, { post: Operation }>;
    };
    const routes = {
      '/user/auth/verify-email/request': { success: '202', body: false },
      '/user/auth/verify-email': { success: '200', body: true },
      '/user/auth/forgot-password': { success: '202', body: true },
      '/user/auth/reset-password': { success: '200', body: true },
    };
    for (const [path, { success, body }] of Object.entries(routes)) {
      const operation = document.paths[path]?.post;
      expect(operation).toBeDefined();
      if (body) {
        expect(Object.keys(operation.requestBody?.content ?? {}).sort()).toEqual([
          'application/json',
          'application/x-www-form-urlencoded',
        ]);
      }
      expect(operation.responses[success].content?.['application/json'].schema).toEqual({
        $ref: expect.stringMatching(/^#\/components\/schemas\/(UserDto|MailAcceptedDto)$/),
      });
      expect(operation.responses['429'].content).toHaveProperty(['application/problem+json']);
      expect(operation.responses[body ? '400' : '401'].content).toHaveProperty(['application/problem+json']);
    }
    expect(document.paths['/user/auth/verify-email/request'].post.security).toBeDefined();
    expect(document.paths['/user/auth/forgot-password'].post.security ?? []).toEqual([]);
  });

  it('delivers within 2 seconds of the request', async () => {
    const email = uniqueEmail('quick');
    const started = Date.now();
    await register(t.app, { email });
    await smtp.waitFor(email, { timeoutMs: 2000 });
    const elapsed = Date.now() - started;
    process.stdout.write(`registration to delivery at the SMTP server: ${elapsed} ms\n`);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('REQUIRE_EMAIL_VERIFICATION=true', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, REQUIRE_EMAIL_VERIFICATION: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('refuses login with 403 until the address is verified, then lets it in', async () => {
    const email = uniqueEmail('required');
    await register(t.app, { email });
    const refused = await post(t.app, '/user/auth/login', { email, password: STRONG_PASSWORD });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).not.toHaveProperty('accessToken');
    expect(refused.headers['set-cookie']).toBeUndefined();
    // A wrong password is still the usual 401: the 403 is only for the right one.
    const wrong = await post(t.app, '/user/auth/login', { email, password: 'not-the-password-1' });
    expect(wrong.statusCode).toBe(401);

    const [mail] = await smtp.waitFor(email);
    const verified = await post(t.app, '/user/auth/verify-email', { token: tokenFromMail(mail, '/verify-email') });
    expect(verified.statusCode).toBe(200);
    const accepted = await post(t.app, '/user/auth/login', { email, password: STRONG_PASSWORD });
    expect(accepted.statusCode).toBe(200);
  });
});
