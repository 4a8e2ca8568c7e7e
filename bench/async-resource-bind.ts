import { AsyncResource } from 'node:async_hooks';
import { useLeanAsyncResourceBind } from '../src/common/lean-async-resource-bind';
import { median } from './load';

const BINDS = 200_000;
const ROUNDS = 5;

/** Nanoseconds per AsyncResource.bind and a call of what it returns, the median of ROUNDS loops. */
function nanosecondsPerBind(): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < BINDS; i++) AsyncResource.bind(() => i)();
    rounds.push(Number(process.hrtime.bigint() - started) / BINDS);
  }
  return median(rounds);
}

/**
 * `npm run bench -- bind`: what one AsyncResource.bind costs on this Node (Nest's interceptor chain makes
 * two a request), then with the service's bind (src/common/lean-async-resource-bind.ts). Node's comes
 * first: the service's replaces it for the rest of this process.
 */
export function asyncResourceBindBench(): void {
  const line = (label: string, value: string): void => console.log(`${label.padEnd(58)} ${value}`);
  const nodes = nanosecondsPerBind();
  useLeanAsyncResourceBind();
  const lean = nanosecondsPerBind();
  line(`AsyncResource.bind + call, Node ${process.versions.node}'s own, ns`, nodes.toFixed(0));
  line("AsyncResource.bind + call, the service's (no DEP0172 accessor), ns", lean.toFixed(0));
  line('  ratio', (nodes / lean).toFixed(1));
}
