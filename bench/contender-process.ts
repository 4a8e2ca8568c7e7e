/** What run.ts hands a contender it forks: the database, the JWT secret and the port. */
export interface ContenderOptions {
  databaseUrl: string;
  secret: string;
  port: number;
}

/**
 * Runs a contender as its own process (forked by run.ts, so the load generator never shares its event
 * loop): started from the environment, 'ready' sent to the parent, stopped on SIGTERM.
 */
export function runContenderProcess(start: (options: ContenderOptions) => Promise<() => Promise<void>>): void {
  start({
    databaseUrl: process.env.DATABASE_URL as string,
    secret: process.env.SECRET_KEY as string,
    port: Number(process.env.BENCH_PORT),
  })
    .then((stop) => {
      process.send?.('ready');
      process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
