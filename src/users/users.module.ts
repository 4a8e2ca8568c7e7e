import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OneTimeTokensModule } from '../auth/email-tokens/one-time-tokens.module';
import { PasswordsModule } from '../auth/passwords/passwords.module';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { AdminUsersController } from './admin-users.controller';
import { User } from './entities/user.entity';
import { MeController } from './me.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), PasswordsModule, SessionsModule, OneTimeTokensModule],
  controllers: [MeController, AdminUsersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
