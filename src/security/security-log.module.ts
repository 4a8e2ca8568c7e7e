import { Module } from '@nestjs/common';
import { SecurityLogger } from './security-logger';

/** The security event log on its own, for the security parts below SecurityModule (Redis, lockout, limits). */
@Module({ providers: [SecurityLogger], exports: [SecurityLogger] })
export class SecurityLogModule {}
