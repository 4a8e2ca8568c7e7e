import { CompletedRequest, CompletedRequests } from './completed-requests';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function completed(requestId: string, status = 200): CompletedRequest {
  return {
    requestId,
    method: 'GET',
    path: '/user/me',
    route: '/user/me',
    handler: 'MeController.me',
    userId: null,
    status,
    elapsedMs: 1.25,
    completedAt: Date.now(),
  };
}

describe('CompletedRequests', () => {
  it('hands the requests of a burst to every consumer as one batch, in order, shortly after', async () => {
    const seenByLog: string[][] = [];
    const seenByMetrics: string[][] = [];
    const requests = new CompletedRequests([
      (batch) => seenByLog.push(batch.map((r) => r.requestId)),
      (batch) => seenByMetrics.push(batch.map((r) => r.requestId)),
    ]);
    for (let i = 0; i < 50; i++) requests.add(completed(`r${i}`));
    expect(seenByLog).toEqual([]);
    await wait(50);
    const ids = Array.from({ length: 50 }, (_, i) => `r${i}`);
    expect(seenByLog).toEqual([ids]);
    expect(seenByMetrics).toEqual([ids]);
  });

  it('hands over what it holds at once on flush, and nothing twice', async () => {
    const batches: string[][] = [];
    const requests = new CompletedRequests([(batch) => batches.push(batch.map((r) => r.requestId))]);
    requests.add(completed('a'));
    requests.flush();
    expect(batches).toEqual([['a']]);
    requests.flush();
    await wait(50);
    expect(batches).toEqual([['a']]);
  });

  it('sends a batch at once when 1024 requests wait, so a flood holds bounded memory', () => {
    const sizes: number[] = [];
    const requests = new CompletedRequests([(batch) => sizes.push(batch.length)]);
    for (let i = 0; i < 1025; i++) requests.add(completed(`r${i}`));
    expect(sizes).toEqual([1024]);
    requests.flush();
    expect(sizes).toEqual([1024, 1]);
  });

  it('reports a failing consumer and still feeds the others, without throwing from its timer', async () => {
    const reported: unknown[] = [];
    const delivered: number[] = [];
    const requests = new CompletedRequests(
      [
        () => {
          throw new Error('disk full');
        },
        (batch) => delivered.push(batch.length),
      ],
      (error) => reported.push(error),
    );
    requests.add(completed('a'));
    await wait(50);
    expect(delivered).toEqual([1]);
    expect(String(reported[0])).toContain('disk full');
  });
});
