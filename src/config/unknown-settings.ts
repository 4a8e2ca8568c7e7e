import { editDistance } from './edit-distance';
import { readEnvironmentFile } from './environment-file';
import { Environment, settingNames } from './settings';

/** Variables of shells, containers, CI and npm that are never meant for this service. */
const SYSTEM_VARIABLES = new Set([
  'HOSTNAME',
  'PWD',
  'OLDPWD',
  'SHELL',
  'HOME',
  'USER',
  'USERNAME',
  'LOGNAME',
  'PATH',
  'TERM',
  'COLORTERM',
  'LANG',
  'LANGUAGE',
  'SHLVL',
  'MAIL',
  'DISPLAY',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'TMPDIR',
  'TEMP',
  'TMP',
  'TZ',
  'COLUMNS',
  'LINES',
  'INIT_CWD',
  'NODE',
  'NODE_ENV',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NO_COLOR',
  'FORCE_COLOR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
]);
/** Families of such variables: npm's own, PostgreSQL's client (PGHOST is two edits from HOST), … */
const SYSTEM_PREFIXES = ['npm_', 'PG', 'LC_', 'XDG_', 'SSH_', 'SUDO_', 'KUBERNETES_', 'GITHUB_', 'RUNNER_'];

/** Shorter environment names are too often two edits from a short setting (HOST, PORT) by chance. */
const MIN_ENVIRONMENT_NAME_LENGTH = 6;
const ENVIRONMENT_MAX_EDITS = 2;
/** A name in .env is meant for the service: a suggestion may be a little further away. */
const FILE_MAX_EDITS = 3;

function nearestSetting(name: string, settings: ReadonlySet<string>, maxEdits: number): string | undefined {
  let nearest: string | undefined;
  let best = maxEdits + 1;
  for (const setting of settings) {
    const edits = editDistance(name.toUpperCase(), setting);
    if (edits < best) [nearest, best] = [setting, edits];
  }
  return nearest;
}

function isSystemVariable(name: string): boolean {
  return SYSTEM_VARIABLES.has(name) || SYSTEM_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * One warning line per name that is no setting: every such name in `.env`, with the nearest setting
 * when there is one; and every environment variable that looks like a mistyped setting (at least six
 * characters, within two edits of one), leaving the usual system variables out.
 */
export function unknownSettingWarnings(fileNames: Iterable<string>, environmentNames: Iterable<string>): string[] {
  const settings = settingNames();
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const name of fileNames) {
    if (settings.has(name)) continue;
    seen.add(name);
    const nearest = nearestSetting(name, settings, FILE_MAX_EDITS);
    warnings.push(
      nearest ? `${name} is not a setting: did you mean ${nearest}?` : `${name} is not a setting: it is ignored`,
    );
  }
  for (const name of environmentNames) {
    if (settings.has(name) || seen.has(name) || name.length < MIN_ENVIRONMENT_NAME_LENGTH) continue;
    if (isSystemVariable(name)) continue;
    const nearest = nearestSetting(name, settings, ENVIRONMENT_MAX_EDITS);
    if (nearest) warnings.push(`${name} is not a setting: did you mean ${nearest}?`);
  }
  return warnings;
}

/** The warnings for a process started with this environment, in this working directory. */
export function unknownSettingsAtStart(processEnv: Environment = process.env, file = '.env'): string[] {
  return unknownSettingWarnings(Object.keys(readEnvironmentFile(file)), Object.keys(processEnv));
}
