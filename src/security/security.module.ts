import { Global, Module } from '@nestjs/common';
import { SecurityLogger } from './security-logger.service';

@Global()
@Module({ providers: [SecurityLogger], exports: [SecurityLogger] })
export class SecurityModule {}
