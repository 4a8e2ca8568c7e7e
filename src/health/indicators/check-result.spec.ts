import { CheckTimeoutError, within } from './check-result';

describe('within', () => {
  it('answers what the check answers in time', async () => {
    await expect(within(200, async () => 'done')).resolves.toBe('done');
  });

  it('gives up on a check that never settles once its budget is spent', async () => {
    const started = Date.now();
    await expect(within(100, () => new Promise<never>(() => undefined))).rejects.toBeInstanceOf(CheckTimeoutError);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(95);
    expect(waited).toBeLessThan(500);
  });

  it('passes a failure through unchanged', async () => {
    const failure = new Error('connection refused');
    await expect(within(200, () => Promise.reject(failure))).rejects.toBe(failure);
  });
});
