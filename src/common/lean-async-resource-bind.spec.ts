import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { useLeanAsyncResourceBind } from './lean-async-resource-bind';

describe('useLeanAsyncResourceBind', () => {
  const nodesOwnBind = AsyncResource.prototype.bind;

  beforeAll(() => useLeanAsyncResourceBind());
  afterAll(() => {
    AsyncResource.prototype.bind = nodesOwnBind;
  });

  it('replaces the bind of every AsyncResource, the static AsyncResource.bind included', () => {
    expect(AsyncResource.prototype.bind).not.toBe(nodesOwnBind);
    useLeanAsyncResourceBind();
    const bound = AsyncResource.bind(() => 1);
    expect('asyncResource' in bound).toBe(false);
  });

  it('runs the function in the async context it was bound in, as Node does', async () => {
    const context = new AsyncLocalStorage<{ requestId: string }>();
    const bound = context.run({ requestId: 'req-1' }, () => AsyncResource.bind(() => context.getStore()?.requestId));
    expect(context.getStore()).toBeUndefined();
    expect(bound()).toBe('req-1');
    // Also from a later turn of the event loop, under another context.
    const later = await context.run(
      { requestId: 'req-2' },
      () => new Promise((resolve) => setImmediate(() => resolve(bound()))),
    );
    expect(later).toBe('req-1');
  });

  it("runs in the resource's own async scope", () => {
    const resource = new AsyncResource('test-resource');
    expect(resource.bind(() => executionAsyncId())()).toBe(resource.asyncId());
  });

  it("passes the caller's this and arguments, or the given thisArg, returns the result and keeps the length", () => {
    const resource = new AsyncResource('test-resource');
    function add(this: { base: number }, a: number, b: number): number {
      return this.base + a + b;
    }
    const bound = resource.bind(add);
    expect(bound.length).toBe(2);
    expect(bound.call({ base: 10 }, 1, 2)).toBe(13);
    const bindTo = resource.bind as unknown as (fn: typeof add, thisArg: unknown) => (a: number, b: number) => number;
    const withThis = bindTo.call(resource, add, { base: 100 });
    expect(withThis(1, 2)).toBe(103);
    expect(withThis.length).toBe(2);
  });

  it('refuses what is not a function, with the error Node gives', () => {
    const resource = new AsyncResource('test-resource');
    expect(() => resource.bind('not a function' as unknown as () => void)).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });
});
