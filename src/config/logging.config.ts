import { BoolSetting, ChoiceSetting, IntSetting, PatternSetting, StringSetting } from './setting.decorators';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The original service's Python level names that pino lacks (DEBUG, INFO, ERROR are pino's too). */
const PYTHON_LEVELS: Record<string, LogLevel> = { warning: 'warn', critical: 'fatal', notset: 'trace' };

export class LoggingConfig {
  @ChoiceSetting('LOG_LEVEL', 'info', LOG_LEVELS, { aliases: PYTHON_LEVELS }) level!: LogLevel;
  @StringSetting('LOG_DIR', 'logs') dir!: string;
  @PatternSetting('LOG_MAX_SIZE', '10M', /^\d+[BKMG]$/, 'must be a size such as 500K, 10M or 1G')
  maxSize!: string;
  @IntSetting('LOG_MAX_FILES', 14, 1, 1000) maxFiles!: number;
  /** Also write log lines to stdout (containers collect it); the files are written either way. */
  @BoolSetting('LOG_STDOUT', true) stdout!: boolean;
}
