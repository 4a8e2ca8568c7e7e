import { Agent, request } from 'node:http';

export interface Answer {
  /** The HTTP status, or undefined when the client got none (error holds why). */
  status?: number;
  body: string;
  error?: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** One request to a loopback port on the given agent: the status and body, or the client's error code. */
export function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((done) => {
    const all = { 'content-type': 'application/json', ...headers };
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: all, timeout: 30_000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode, body: text }));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', (error: NodeJS.ErrnoException) => done({ body: '', error: error.code ?? error.message }));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** Answers by status (or client error), e.g. { "401": 120, "429": 30 }. */
export class Tally {
  readonly counts: Record<string, number> = {};

  add(answer: Answer): void {
    const key = answer.status === undefined ? (answer.error ?? 'no answer') : String(answer.status);
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }

  /** How many answers were a 5xx or no HTTP answer at all. */
  get failures(): number {
    return Object.entries(this.counts)
      .filter(([key]) => !/^[1-4]\d\d$/.test(key))
      .reduce((sum, [, count]) => sum + count, 0);
  }

  of(status: number): number {
    return this.counts[String(status)] ?? 0;
  }
}

/** Seconds with one decimal, for the printed figures. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
