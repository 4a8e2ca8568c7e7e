import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing, dropDatabase } from '../src/database/postgres-database';

/** The PostgreSQL server the benchmarks use; each run gets a fresh database of its own on it. */
export const BENCH_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchWorkspace {
  databaseUrl: string;
  logDir: string;
  remove(): Promise<void>;
}

/** A fresh bench_<random> database and a temporary log folder, both removed by remove(). */
export async function openBenchWorkspace(): Promise<BenchWorkspace> {
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = url.toString();
  await createDatabaseIfMissing(databaseUrl);
  const logDir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
  return {
    databaseUrl,
    logDir,
    remove: async () => {
      await dropDatabase(databaseUrl);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
