import * as bcrypt from 'bcrypt';

/**
 * The physical ceiling for logins: bcrypt.compare calls per second at the given cost on this
 * machine, kept busy with `concurrency` compares in flight (the libuv pool runs four at once).
 */
export async function bcryptComparesPerSecond(cost: number, seconds: number, concurrency = 16): Promise<number> {
  const hash = await bcrypt.hash('x'.repeat(64), cost);
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await bcrypt.compare('x'.repeat(64), hash);
        done += 1;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}
