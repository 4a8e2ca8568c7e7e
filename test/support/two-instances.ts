import { Clock } from '../../src/common/clock';
import { Environment } from '../../src/config/settings';
import { createTestDatabase, startTestApp, TestApp, TestDatabase } from './test-app';

/** Two instances behind one load balancer: one database, each instance with its own settings. */
export interface TwoInstances {
  a: TestApp;
  b: TestApp;
  database: TestDatabase;
  /** Stops both instances and drops their database. */
  close(): Promise<void>;
}

/**
 * Starts instance a with `env` and instance b with `envB` (default: the same), on one fresh database
 * and one clock. Two instances need a database they both reach: a PostgreSQL server.
 */
export async function startTwoInstances(options: {
  env: Environment;
  envB?: Environment;
  clock?: Clock;
}): Promise<TwoInstances> {
  const database = await createTestDatabase();
  const started: TestApp[] = [];
  try {
    for (const env of [options.env, options.envB ?? options.env]) {
      started.push(await startTestApp({ env, database, clock: options.clock }));
    }
  } catch (error) {
    for (const app of started) await app.close();
    await database.drop();
    throw error;
  }
  const [a, b] = started;
  return {
    a,
    b,
    database,
    close: async () => {
      await a.close();
      await b.close();
      await database.drop();
    },
  };
}
