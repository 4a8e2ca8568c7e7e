import { BoolSetting, IntSetting, OptionalStringSetting, StringSetting } from './setting.decorators';

/** PGlite's own name for a database that lives only in memory (used by the tests). */
export const IN_MEMORY_DATA_DIR = 'memory://';

export class DatabaseConfig {
  @OptionalStringSetting('DATABASE_URL', /^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
  url?: string;
  @BoolSetting('DATABASE_ECHO', false) echo!: boolean;
  @IntSetting('DATABASE_POOL_SIZE', 10, 1, 500) poolSize!: number;
  @StringSetting('DATA_DIR', './data') dataDir!: string;

  get embedded(): boolean {
    return this.url === undefined;
  }

  get inMemory(): boolean {
    return this.dataDir === IN_MEMORY_DATA_DIR;
  }
}
