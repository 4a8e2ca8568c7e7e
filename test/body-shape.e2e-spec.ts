import { AddressInfo } from 'node:net';
import { STRONG_PASSWORD, uniqueEmail } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
  ms: number;
}

/** `{"token":"x","0":0,"1":0,…}` with base-36 keys up to the 1 MiB body limit: about 122,000 keys. */
function manyKeysJson(): string {
  const parts = ['{"token":"x"'];
  let length = parts[0].length + 1;
  for (let i = 0; ; i++) {
    const part = `,"${i.toString(36)}":0`;
    if (length + part.length > 1024 * 1024) break;
    parts.push(part);
    length += part.length;
  }
  return `${parts.join('')}}`;
}

/** A registration body with `extra` added, which the validation pipe drops once the shape passes. */
function registration(extra: Record<string, unknown>): Record<string, unknown> {
  return { firstName: 'Jane', lastName: 'Roe', email: uniqueEmail('shape'), password: STRONG_PASSWORD, ...extra };
}

/** Arrays nested `levels` deep: `nested(2)` is `[[]]`. */
function nested(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

describe('Body shape limits', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  async function send(url: string, contentType: string, body: string): Promise<Answer> {
    const started = performance.now();
    const res = await fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      body: JSON.parse(text) as Record<string, unknown>,
      ms: performance.now() - started,
    };
  }

  /** Runs the request while another connection polls /health/live; returns the slowest probe too. */
  async function whileProbingLiveness(request: () => Promise<Answer>): Promise<Answer & { worstLiveMs: number }> {
    let running = true;
    let worstLiveMs = 0;
    const probe = (async () => {
      while (running) {
        const started = performance.now();
        const res = await fetch(`${base}/health/live`);
        await res.text();
        expect(res.status).toBe(200);
        worstLiveMs = Math.max(worstLiveMs, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const answer = await request();
    running = false;
    await probe;
    return { ...answer, worstLiveMs };
  }

  function expectShapeRefusal(answer: Answer, pattern: RegExp): void {
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 400, type: expect.any(String), requestId: expect.any(String) });
    expect(answer.body.detail).toMatch(pattern);
  }

  it('refuses a 1 MiB JSON body of 122,000 keys at once, without stalling liveness', async () => {
    const body = manyKeysJson();
    const answer = await whileProbingLiveness(() => send('/user/auth/verify-email', JSON_TYPE, body));
    expectShapeRefusal(answer, /more than 1000 keys/);
    expect(answer.ms).toBeLessThan(1000);
    expect(answer.worstLiveMs).toBeLessThan(1000);
  });

  it('refuses a form body of 40,000 fields at once, without stalling liveness', async () => {
    const body = ['token=x', ...Array.from({ length: 40_000 }, (_, i) => `f${i}=0`)].join('&');
    const answer = await whileProbingLiveness(() => send('/user/auth/verify-email', FORM_TYPE, body));
    expectShapeRefusal(answer, /more than 1000 keys/);
    expect(answer.ms).toBeLessThan(1000);
    expect(answer.worstLiveMs).toBeLessThan(1000);
  });

  it('refuses a 5,000-deep body with 400, not a stack overflow', async () => {
    const answer = await send('/user/auth/verify-email', JSON_TYPE, `{"token":"x","z":${nested(5000)}}`);
    expectShapeRefusal(answer, /nested deeper than 32 levels/);
  });

  it('counts keys at every level: 1,000 in total pass, 1,001 are refused', async () => {
    // Four fields of a registration plus `extra` holding the rest.
    const fill = (count: number): Record<string, number> =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 0]));
    const fits = await send('/user/auth/register', JSON_TYPE, JSON.stringify(registration({ extra: fill(995) })));
    expect(fits.status).toBe(201);
    const over = await send('/user/auth/register', JSON_TYPE, JSON.stringify(registration({ extra: fill(996) })));
    expectShapeRefusal(over, /more than 1000 keys/);
    const flat = await send('/user/auth/verify-email', JSON_TYPE, JSON.stringify({ token: 'x', ...fill(1000) }));
    expectShapeRefusal(flat, /more than 1000 keys/);
  });

  it('counts array items as entries, in JSON and in repeated form fields', async () => {
    const items = (count: number): number[] => Array.from({ length: count }, () => 0);
    const fits = await send('/user/auth/register', JSON_TYPE, JSON.stringify(registration({ extra: items(995) })));
    expect(fits.status).toBe(201);
    const over = await send('/user/auth/register', JSON_TYPE, JSON.stringify(registration({ extra: items(996) })));
    expectShapeRefusal(over, /more than 1000 keys/);
    const repeated = await send('/user/auth/verify-email', FORM_TYPE, `token=x${'&a=0'.repeat(1000)}`);
    expectShapeRefusal(repeated, /more than 1000 keys/);
  });

  it('allows nesting 32 levels deep and refuses 33', async () => {
    // The body itself is level 1, so `extra` holds 31 levels, then 32.
    const fits = await send(
      '/user/auth/register',
      JSON_TYPE,
      JSON.stringify(registration({})).replace(/}$/, `,"extra":${nested(31)}}`),
    );
    expect(fits.status).toBe(201);
    const over = await send(
      '/user/auth/register',
      JSON_TYPE,
      JSON.stringify(registration({})).replace(/}$/, `,"extra":${nested(32)}}`),
    );
    expectShapeRefusal(over, /nested deeper than 32 levels/);
  });
});
