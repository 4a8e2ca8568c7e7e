import { createHash } from 'node:crypto';
import { register, uniqueEmail } from './support/accounts';
import { mailedLink } from './support/mail-log';
import { startTestApp, TestApp } from './support/test-app';
import { get, post } from './support/http';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

describe('The pages the mailed links open, without FRONTEND_URL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { APP_URL: 'http://localhost:8000', APP_NAME: 'Acme <Accounts>' } });
  });
  afterAll(() => t.close());

  it('mails links to the service itself, whose pages answer them as self-contained HTML', async () => {
    const email = uniqueEmail('page');
    await register(t.app, { email });
    const link = new URL(await mailedLink(t.logDir, email, 'verify_email'));
    expect(link.origin + link.pathname).toBe('http://localhost:8000/verify-email');
    const token = link.searchParams.get('token') ?? '';

    for (const path of ['/verify-email', '/reset-password']) {
      const res = await get(t.app, `${path}?token=${token}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      // The token is never written into the page: the script reads it from the address.
      expect(res.body).not.toContain(token);
      expect(res.body).toContain('<title>');
      expect(res.body).toContain('Acme &lt;Accounts&gt;');
      // Nothing is loaded from anywhere: no src, no stylesheet link, no URL but the empty data: icon.
      expect(res.body).not.toMatch(/\ssrc=|rel="stylesheet"|https?:\/\//);
      expect(res.body.match(/<script>/g)).toHaveLength(1);
      // Its CSP allows exactly its own inline script and style, by hash, and calls to this origin.
      const policy = String(res.headers['content-security-policy']);
      const script = /<script>([\s\S]*)<\/script>/.exec(res.body)?.[1] ?? '';
      const style = /<style>([\s\S]*)<\/style>/.exec(res.body)?.[1] ?? '';
      expect(policy).toContain(`script-src ${sha256(script)}`);
      expect(policy).toContain(`style-src ${sha256(style)}`);
      expect(policy).toMatch(/default-src 'none'/);
      expect(policy).toMatch(/connect-src 'self'/);
      expect(policy).toMatch(/form-action 'none'/);
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('changes nothing by being loaded: the token still works afterwards', async () => {
    const email = uniqueEmail('scanner');
    await register(t.app, { email });
    const link = new URL(await mailedLink(t.logDir, email, 'verify_email'));
    for (let i = 0; i < 3; i++) {
      expect((await get(t.app, link.pathname + link.search)).statusCode).toBe(200);
    }
    const verified = await post(t.app, '/user/auth/verify-email', { token: link.searchParams.get('token') });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ email, emailVerified: true });
  });

  it('documents both pages as text/html under Authentication', async () => {
    const document = (await get(t.app, '/openapi.json')).json() as {
      paths: Record<string, { get?: { tags: string[]; responses: Record<string, { content?: object }> } }>;
    };
    for (const path of ['/verify-email', '/reset-password']) {
      const operation = document.paths[path]?.get;
      expect(operation?.tags).toEqual(['Authentication']);
      expect(Object.keys(operation?.responses['200'].content ?? {})).toEqual(['text/html']);
      expect(operation?.responses['404']).toBeDefined();
    }
  });

  it('refuses a malformed query like any route (400); without a token it still answers (its script says so)', async () => {
    expect((await get(t.app, '/verify-email?token=a&token=b')).statusCode).toBe(400);
    expect((await get(t.app, '/reset-password')).statusCode).toBe(200);
  });
});

describe('With FRONTEND_URL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { APP_URL: 'http://localhost:8000', FRONTEND_URL: 'https://app.example.com/' } });
  });
  afterAll(() => t.close());

  it('mails links to the front end, and the service serves no page for them (404)', async () => {
    const email = uniqueEmail('frontend');
    await register(t.app, { email });
    expect(await mailedLink(t.logDir, email, 'verify_email')).toMatch(
      /^https:\/\/app\.example\.com\/verify-email\?token=/,
    );
    await post(t.app, '/user/auth/forgot-password', { email });
    expect(await mailedLink(t.logDir, email, 'reset_password')).toMatch(
      /^https:\/\/app\.example\.com\/reset-password\?token=/,
    );
    for (const url of ['/verify-email?token=x', '/reset-password?token=x']) {
      const res = await get(t.app, url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
