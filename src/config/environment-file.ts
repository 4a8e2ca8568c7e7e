import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { Environment } from './settings';

/** The process environment over the `.env` file of the working directory (the environment wins). */
export function readEnvironment(processEnv: Environment = process.env, file = '.env'): Environment {
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...processEnv };
}
