/**
 * Shutdown drill (run by .ci/run, not by npm test): a PostgreSQL server of its own (Debian's binaries,
 * a temporary data directory, a loopback port), and ROUNDS (10) times the built service on it, the
 * server stopped under load (fast and immediate in turn) and started again, then SIGTERM under 20
 * in-flight logins. Expected: exit 0 each round within SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS.
 * Prints each round's figures and its own time; exit 1 on any failure.
 *   npx ts-node --transpile-only test/drills/shutdown-after-outage-drill.ts
 */
import { buildIfNeeded } from '../support/built-app-process';
import { outageThenSigterm, SHUTDOWN_DELAY_MS, SHUTDOWN_TIMEOUT_MS } from '../support/outage-then-sigterm';
import { OwnPostgresServer } from '../support/own-postgres-server';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
/** The drill's own budget: the issue allows each drill 4 minutes. */
const DRILL_BUDGET_MS = 240_000;

async function main(): Promise<void> {
  const began = Date.now();
  buildIfNeeded();
  const pg = await OwnPostgresServer.create();
  const budget = SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS;
  const failures: string[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const stopMode = round % 2 === 0 ? 'immediate' : 'fast';
      const f = await outageThenSigterm(pg, stopMode);
      const answered = JSON.stringify(f.loginsAtSigterm);
      process.stdout.write(
        `round ${round}: ${stopMode} stop, outage ${f.outageMs} ms; SIGTERM under 20 logins (${answered}, ` +
          `last answered at ${f.lastLoginMs} ms); exit ${f.exitCode} after ${f.shutdownMs} ms: ${f.shutdownOutput}\n`,
      );
      if (f.exitCode !== 0) failures.push(`round ${round}: exit ${f.exitCode}`);
      if (f.shutdownMs > budget) failures.push(`round ${round}: shutdown ${f.shutdownMs} ms > ${budget} ms`);
    }
  } finally {
    await pg.remove();
  }
  const took = Date.now() - began;
  if (took > DRILL_BUDGET_MS) failures.push(`the drill took ${took} ms > ${DRILL_BUDGET_MS} ms`);
  process.stdout.write(
    `shutdown drill: ${ROUNDS} rounds in ${(took / 1000).toFixed(1)} s, ${failures.length} failure(s)\n`,
  );
  for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
  process.exit(failures.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`shutdown drill failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
