import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/** The clock is global like the config: every module reads time, and a test replaces it once for all. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class CommonModule {}
