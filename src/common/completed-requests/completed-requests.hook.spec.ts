import Fastify, { FastifyInstance } from 'fastify';
import { CompletedRequest, CompletedRequests } from './completed-requests';
import { registerCompletedRequests } from './completed-requests.hook';

describe('registerCompletedRequests', () => {
  let fastify: FastifyInstance;
  let batches: CompletedRequest[][];
  let completed: CompletedRequests;

  beforeEach(async () => {
    batches = [];
    completed = new CompletedRequests([(batch) => batches.push([...batch])]);
    fastify = Fastify();
    registerCompletedRequests(fastify, completed);
    fastify.get('/things/:id', async (request) => {
      request.handlerContext = { handler: 'ThingsController.one', userId: 'user-7' };
      return { ok: true };
    });
    await fastify.ready();
  });

  afterEach(async () => {
    jest.useRealTimers();
    await fastify.close();
  });

  /** The batch's own timer never fires: what is handed over comes from close or exit alone. */
  const holdTheTimer = (): void => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance', 'Date'] });
  };

  it('records what the request line and the metrics need, the path without its query', async () => {
    const before = Date.now();
    await fastify.inject({ method: 'GET', url: '/things/42?token=secret' });
    await fastify.inject({ method: 'POST', url: '/nowhere' });
    completed.flush();
    const [found, missing] = batches.flat();
    expect(found).toMatchObject({
      method: 'GET',
      path: '/things/42',
      route: '/things/:id',
      handler: 'ThingsController.one',
      userId: 'user-7',
      status: 200,
    });
    expect(found.elapsedMs).toBeGreaterThan(0);
    expect(found.completedAt).toBeGreaterThanOrEqual(before);
    expect(missing).toMatchObject({ path: '/nowhere', route: undefined, handler: 'none', userId: null, status: 404 });
  });

  it('hands over what is held when Fastify closes, before the log files close behind it', async () => {
    holdTheTimer();
    await fastify.inject({ method: 'GET', url: '/things/1' });
    expect(batches).toEqual([]);
    await fastify.close();
    expect(batches.flat().map((request) => request.path)).toEqual(['/things/1']);
  });

  it('hands over what is held at exit, ahead of the other exit listeners, and stops listening once closed', async () => {
    const atExit = process.listeners('exit')[0] as () => void;
    holdTheTimer();
    await fastify.inject({ method: 'GET', url: '/things/2' });
    expect(batches).toEqual([]);
    atExit();
    expect(batches.flat().map((request) => request.path)).toEqual(['/things/2']);
    await fastify.close();
    expect(process.listeners('exit')).not.toContain(atExit);
  });
});
