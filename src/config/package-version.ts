import { version } from '../../package.json';

/** The version in package.json, compiled into the build (dist/package.json beside dist/src). */
export function packageVersion(): string {
  return version;
}
