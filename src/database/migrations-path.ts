import { join } from 'node:path';

/**
 * Migrations live in the top-level migrations/ folder and compile to dist/migrations/: from
 * dist/database this is ../migrations, from src/database (tests, the CLI) ../../migrations.
 */
export function migrationsGlob(): string {
  const compiled = __filename.endsWith('.js');
  return compiled ? join(__dirname, '..', 'migrations', '*.js') : join(__dirname, '..', '..', 'migrations', '*.ts');
}
