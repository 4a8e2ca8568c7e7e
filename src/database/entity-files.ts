import { join } from 'node:path';

/**
 * Every entity file of src/ (or of dist/src/ once compiled), for the data sources that stand outside the
 * application's modules: the TypeORM CLI (ormconfig.ts) and the db command. The application itself
 * takes the entities its feature modules register (autoLoadEntities), so database/ names no feature.
 */
export const ENTITY_FILES = join(__dirname, '..', '**', '*.entity.{ts,js}');
