import { randomInt } from 'node:crypto';

/**
 * A client address no other test uses: counters in a shared Redis outlive a test run, so each test
 * limits an address of its own.
 */
export function freshClientIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}
