import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource, EntityManager } from 'typeorm';
import { SecondFactorRemoval } from '../mfa/second-factor-removal';
import { Settings } from '../config/settings';
import { SeedModule } from './seed.module';
import { AdminAccountSeed } from '../users/admin-account-seed';
import { WeakPasswordException } from '../users/users.errors';
import { dataSourceOptions } from '../database/data-source-options';
import { DatabaseServer, openDatabaseServer } from '../database/database-server';
import { ENTITY_FILES } from '../database/entity-files';
import { runPendingMigrations } from '../database/migrations-runner';
import { createDatabaseIfMissing } from '../database/postgres-database';
import { assertDatabaseReachable, explainDatabaseFailure } from '../database/database-unreachable';

export type Print = (line: string) => void;

export class CommandFailure extends Error {}

const SEED_OUTCOME_WORDS = {
  created: 'created',
  present: 'already present',
  promoted:
    'promoted: password set to ADMIN_PASSWORD, email verified, every session, pending sign-in and mailed link ' +
    'revoked, every passkey, TOTP factor and recovery code removed',
};

async function withDataSource<T>(
  settings: Settings,
  work: (ds: DataSource, server: DatabaseServer) => Promise<T>,
): Promise<T> {
  const server = await openDatabaseServer(settings.database);
  try {
    await assertDatabaseReachable(server);
    const dataSource = new DataSource({
      ...dataSourceOptions(settings.database, server),
      entities: [ENTITY_FILES],
      logging: ['error'],
    });
    await dataSource.initialize();
    try {
      return await work(dataSource, server);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.close();
  }
}

async function migrate(dataSource: DataSource, server: DatabaseServer, print: Print): Promise<void> {
  const applied = await runPendingMigrations(dataSource, server);
  print(
    applied.length
      ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`
      : 'schema is up to date',
  );
}

export async function create(settings: Settings, print: Print): Promise<void> {
  const url = settings.database.url;
  if (url) {
    const created = await createDatabaseIfMissing(url).catch((error: unknown) => {
      throw explainDatabaseFailure(error, url);
    });
    if (created) print('database created');
  }
  await withDataSource(settings, (ds, server) => migrate(ds, server, print));
}

export async function drop(settings: Settings, print: Print, force: boolean): Promise<void> {
  if (settings.app.isProduction && !force) {
    throw new CommandFailure('refusing to drop a production database; add --force to mean it');
  }
  await withDataSource(settings, async (dataSource) => {
    await dataSource.dropDatabase();
    print('all tables dropped');
  });
}

export async function reset(settings: Settings, print: Print, force: boolean): Promise<void> {
  await drop(settings, print, force);
  await create(settings, print);
}

export async function seed(settings: Settings, print: Print, promote = false): Promise<void> {
  const { email, password } = settings.admin;
  if (!email || !password) throw new CommandFailure('seed needs ADMIN_EMAIL and ADMIN_PASSWORD');
  await inAppSlice(settings, async (context, server) => {
    await migrate(context.get(DataSource), server, print);
    const removal = context.get(SecondFactorRemoval);
    const removeWaysIn = async (userId: string, manager: EntityManager): Promise<void> => {
      await removal.removeAll(userId, manager);
    };
    const { user, outcome } = await context
      .get(AdminAccountSeed)
      .ensureAdmin(email, password, promote, removeWaysIn)
      .catch((error: unknown) => {
        if (!(error instanceof WeakPasswordException)) throw error;
        throw new CommandFailure(
          `ADMIN_PASSWORD ${error.fieldErrors?.[0]?.message.replace(/^password /, '') ?? 'is refused'}`,
        );
      });
    if (outcome === 'taken') {
      throw new CommandFailure(
        `ADMIN_EMAIL ${user.email} belongs to an existing account that is not an admin; nothing changed ` +
          '(`npm run db -- seed --promote` makes it the admin with ADMIN_PASSWORD, ending its sessions and links ' +
          'and removing its passkeys and second factors)',
      );
    }
    print(`admin ${user.email} ${SEED_OUTCOME_WORDS[outcome]}`);
  });
}

export async function health(settings: Settings, print: Print): Promise<void> {
  await withDataSource(settings, async (dataSource) => {
    const started = process.hrtime.bigint();
    await dataSource.query('SELECT 1');
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    const pending = await dataSource.showMigrations();
    print(
      `database reachable, latency ${latencyMs.toFixed(1)} ms, ${pending ? 'migrations pending' : 'no migration pending'}`,
    );
    if (pending) throw new CommandFailure('migrations are pending: run `npm run db -- create` or `npm start`');
  });
}

/** seed, rotate-keys and reencrypt: work done by classes of the app, in the seed's slice of it. */
export async function inAppSlice(
  settings: Settings,
  work: (context: INestApplicationContext, server: DatabaseServer) => Promise<void>,
): Promise<void> {
  const server = await openDatabaseServer(settings.database);
  await assertDatabaseReachable(server).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  // The context owns the server from here: closing it closes the database.
  const context = await NestFactory.createApplicationContext(SeedModule.forRoot(settings, server), {
    logger: ['error'],
    abortOnError: false,
  });
  try {
    await work(context, server);
  } finally {
    await context.close();
  }
}
