import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { Environment } from './settings';

/** The `.env` file of the working directory, if there is one. */
export function readEnvironmentFile(file = '.env'): Environment {
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}

/** The process environment over the `.env` file of the working directory (the environment wins). */
export function readEnvironment(processEnv: Environment = process.env, file = '.env'): Environment {
  return { ...readEnvironmentFile(file), ...processEnv };
}
