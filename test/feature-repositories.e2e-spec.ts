import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getRepositoryToken } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OneTimeToken } from '../src/one-time-tokens/entities/one-time-token.entity';
import { OneTimeTokenRepository } from '../src/one-time-tokens/one-time-token.repository';
import { RefreshToken } from '../src/sessions/entities/refresh-token.entity';
import { Session } from '../src/sessions/entities/session.entity';
import { SessionsService } from '../src/sessions/sessions.service';
import { OutboxMessage } from '../src/mail/entities/outbox-message.entity';
import { MailOutbox } from '../src/mail/mail-outbox';
import { LoginFailure } from '../src/security/lockout/entities/login-failure.entity';
import { User } from '../src/users/entities/user.entity';
import { register } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';

describe('feature repositories', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([User, Session, RefreshToken, OneTimeToken, OutboxMessage, LoginFailure])(
    'the feature module registers a repository for %p',
    (entity) => {
      const repository = t.app.get<Repository<object>>(getRepositoryToken(entity));
      expect(repository.metadata.target).toBe(entity);
    },
  );

  it('knows the entity of every *.entity.ts file of src/: a feature module registers each (autoLoadEntities)', async () => {
    const src = join(__dirname, '..', 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.entity.ts'));
    const known = new Set<unknown>(t.dataSource.entityMetadatas.map((metadata) => metadata.target));
    const unknown: string[] = [];
    for (const file of files) {
      const exported = Object.values((await import(join(src, file))) as Record<string, unknown>);
      if (!exported.some((value) => known.has(value))) unknown.push(file);
    }
    expect(files.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  it("writes made inside a caller's transaction go through it: a rollback leaves nothing, and nothing waits", async () => {
    const account = await register(t.app);
    const count = async (table: string): Promise<number> =>
      Number(((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`)) as { n: string }[])[0].n);
    const tables = ['sessions', 'refresh_tokens', 'one_time_tokens', 'mail_outbox'];
    const counts = async (): Promise<number[]> => Promise.all(tables.map(count));
    const before = await counts();
    const rolledBack = new Error('rolled back on purpose');
    await expect(
      t.dataSource.transaction(async (manager) => {
        await t.app.get(SessionsService).start(account.id, {}, manager);
        await t.app.get(OneTimeTokenRepository).issue(account.id, 'reset_password', manager);
        await t.app
          .get(MailOutbox)
          .enqueue({ purpose: 'test', to: account.email, subject: 's', text: 't', html: 'h', link: 'l' }, manager);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await counts()).toEqual(before);
  });
});
