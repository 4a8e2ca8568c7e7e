import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { SealedSecretStores } from './secrets/sealed-secret-stores';

/**
 * The clock is global like the config: every module reads time, and a test replaces it once for all.
 * The list of sealed-secret tables is one per application, whichever modules register into it.
 */
@Global()
@Module({ providers: [Clock, SealedSecretStores], exports: [Clock, SealedSecretStores] })
export class CommonModule {}
