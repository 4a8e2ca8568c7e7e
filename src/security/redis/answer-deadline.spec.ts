import { spawn } from 'node:child_process';
import { RedisAnswerLate, withinDeadline } from './answer-deadline';

function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // The process is busy: nothing else runs, as under a long synchronous task or a GC pause.
  }
}

describe('withinDeadline', () => {
  it('passes on an answer that comes in time, and its failure', async () => {
    await expect(withinDeadline(Promise.resolve('PONG'), 20)).resolves.toBe('PONG');
    await expect(withinDeadline(Promise.reject(new Error('closed')), 20)).rejects.toThrow('closed');
  });

  it('gives up on work that does not answer', async () => {
    await expect(withinDeadline(new Promise(() => undefined), 20)).rejects.toBeInstanceOf(RedisAnswerLate);
  });

  it('takes an answer that arrived while the process was too busy to read it', async () => {
    // Run from a setImmediate callback, so that the next turn of the loop fires timers before reading I/O.
    const raced = await new Promise<{ deadline: Promise<string> }>((resolve) =>
      setImmediate(() => {
        const child = spawn('sh', ['-c', 'echo PONG']);
        const answer = new Promise<string>((done) => child.stdout.once('data', (chunk: Buffer) => done(String(chunk))));
        const deadline = withinDeadline(answer, 20);
        busyFor(300);
        resolve({ deadline });
      }),
    );
    await expect(raced.deadline).resolves.toBe('PONG\n');
  });
});
