import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../config/app.config';
import { LoggingConfig } from '../config/logging.config';
import { CompletedRequest } from '../common/completed-requests/completed-requests';
import { LogFiles } from './log-files';
import { RequestLines } from './request-lines';

function completed(overrides: Partial<CompletedRequest>): CompletedRequest {
  return {
    requestId: 'req-1',
    method: 'GET',
    path: '/user/me',
    route: '/user/me',
    handler: 'MeController.me',
    userId: 'user-1',
    status: 200,
    elapsedMs: 3.14159,
    completedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    ...overrides,
  };
}

describe('RequestLines', () => {
  let dir: string;
  let files: LogFiles;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'request-lines-'));
    const config = Object.assign(new LoggingConfig(), {
      dir,
      level: 'info',
      stdout: false,
      maxSize: '10M',
      maxFiles: 2,
    });
    files = new LogFiles(config, Object.assign(new AppConfig(), { debug: false }));
    lines = new RequestLines(files, config);
  });
  let lines: RequestLines;

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function appLines(): Promise<Record<string, unknown>[]> {
    await files.onApplicationShutdown();
    return readFileSync(join(dir, 'app.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it("writes the original's fields, stamped with the time the response was sent, not the time of writing", async () => {
    lines.write([completed({})]);
    expect(await appLines()).toEqual([
      {
        level: 'INFO',
        timestamp: '2026-01-02T03:04:05.678Z',
        logger: 'request',
        request_id: 'req-1',
        method: 'GET',
        path: '/user/me',
        status_code: 200,
        duration_ms: 3.1,
        user_id: 'user-1',
        handler: 'MeController.me',
        message: 'request completed',
      },
    ]);
  });

  it('gives each line of a batch its own time, and logs 4xx and 503 as WARNING, other 5xx as ERROR', async () => {
    lines.write([
      completed({ requestId: 'a', status: 404, completedAt: Date.UTC(2026, 0, 1), userId: null }),
      completed({ requestId: 'b', status: 503, completedAt: Date.UTC(2026, 0, 1, 0, 0, 1) }),
      completed({ requestId: 'c', status: 500, completedAt: Date.UTC(2026, 0, 1, 0, 0, 2) }),
    ]);
    const written = await appLines();
    expect(written.map((line) => [line.request_id, line.level, line.timestamp, line.user_id])).toEqual([
      ['a', 'WARNING', '2026-01-01T00:00:00.000Z', null],
      ['b', 'WARNING', '2026-01-01T00:00:01.000Z', 'user-1'],
      ['c', 'ERROR', '2026-01-01T00:00:02.000Z', 'user-1'],
    ]);
    expect(readFileSync(join(dir, 'error.log'), 'utf8')).toContain('"request_id":"c"');
  });
});
