import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecurityLogModule } from '../security-log.module';
import { LoginFailure } from './entities/login-failure.entity';
import { LockoutService } from './lockout.service';
import { LoginFailureRepository } from './login-failure.repository';

/** Account lockout, its counters always in PostgreSQL (never Redis, never per-instance memory). */
@Module({
  imports: [SecurityLogModule, TypeOrmModule.forFeature([LoginFailure])],
  providers: [LoginFailureRepository, LockoutService],
  exports: [LockoutService],
})
export class LockoutModule {}
