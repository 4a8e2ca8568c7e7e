import { randomBytes } from 'node:crypto';
import { median } from './load';
import { startService } from './service-process';
import { openBenchWorkspace } from './bench-workspace';

/**
 * `npm run bench:body-shape`: how long the service takes to refuse hostile body shapes sent to an
 * unauthenticated route, and the worst /health/live latency seen while it does (polled back to back
 * from another connection). Targets: refused in under 50 ms, liveness never slower than 100 ms.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PORT = 18_095;
const BODY_LIMIT = 1024 * 1024;
const ROUTE = '/user/auth/verify-email';

interface Payload {
  label: string;
  contentType: string;
  body: string;
}

/** `{"token":"x","0":0,"1":0,…}` with base-36 keys, filled up to the 1 MiB body limit (about 122,000 keys). */
function manyKeysJson(): Payload {
  const parts = ['{"token":"x"'];
  let length = parts[0].length + 1;
  for (let i = 0; ; i++) {
    const part = `,"${i.toString(36)}":0`;
    if (length + part.length > BODY_LIMIT) break;
    parts.push(part);
    length += part.length;
  }
  return { label: `1 MiB JSON, ${parts.length - 1} keys`, contentType: 'application/json', body: `${parts.join('')}}` };
}

function manyFieldsForm(fields: number): Payload {
  const body = ['token=x', ...Array.from({ length: fields }, (_, i) => `f${i}=0`)].join('&');
  return { label: `form, ${fields} fields`, contentType: 'application/x-www-form-urlencoded', body };
}

function deepJson(depth: number): Payload {
  const body = `{"token":"x","z":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return { label: `JSON nested ${depth} deep`, contentType: 'application/json', body };
}

interface Measure {
  status: number;
  answerMs: number;
  worstLiveMs: number;
}

/** Sends the payload while another loop polls liveness; returns the answer time and worst probe. */
async function measure(base: string, payload: Payload): Promise<Measure> {
  let sending = true;
  let worstLiveMs = 0;
  const poller = (async () => {
    while (sending) {
      const started = performance.now();
      await (await fetch(`${base}/health/live`)).arrayBuffer();
      worstLiveMs = Math.max(worstLiveMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  // Let the poller reach a steady state before the hostile request.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const res = await fetch(`${base}${ROUTE}`, {
    method: 'POST',
    headers: { 'content-type': payload.contentType },
    body: payload.body,
  });
  await res.arrayBuffer();
  const answerMs = performance.now() - started;
  // One more probe after the answer, so a stall that outlasts it is counted too.
  await new Promise((resolve) => setTimeout(resolve, 50));
  sending = false;
  await poller;
  return { status: res.status, answerMs, worstLiveMs };
}

async function main(): Promise<void> {
  const { databaseUrl, logDir, remove } = await openBenchWorkspace();
  const service = await startService(
    {
      ENVIRONMENT: 'production',
      SECRET_KEY: randomBytes(32).toString('hex'),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      DATABASE_URL: databaseUrl,
      RATE_LIMIT_ENABLED: 'false',
      LOG_DIR: logDir,
      LOG_STDOUT: 'false',
    },
    PORT,
  );
  try {
    const base = `http://127.0.0.1:${PORT}`;
    console.log(`# hostile body shapes on POST ${ROUTE}: ${ROUNDS} rounds, median answer / worst liveness`);
    // The control: an ordinary small body, measured the same way, shows what the machine itself adds.
    const control = { label: 'control, {"token":"x"}', contentType: 'application/json', body: '{"token":"x"}' };
    for (const payload of [control, manyKeysJson(), manyFieldsForm(40_000), deepJson(5000)]) {
      const runs: Measure[] = [];
      for (let round = 0; round < ROUNDS; round++) runs.push(await measure(base, payload));
      const statuses = [...new Set(runs.map((run) => run.status))].join('/');
      const answer = median(runs.map((run) => run.answerMs)).toFixed(1);
      const live = Math.max(...runs.map((run) => run.worstLiveMs)).toFixed(1);
      console.log(
        `${payload.label.padEnd(28)} status ${statuses}  answer ${answer.padStart(8)} ms (target < 50)  ` +
          `worst /health/live ${live.padStart(8)} ms (target < 100)`,
      );
    }
  } finally {
    await service.stop();
    await remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
