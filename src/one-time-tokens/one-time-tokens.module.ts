import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OneTimeToken } from './entities/one-time-token.entity';
import { OneTimeTokenRepository } from './one-time-token.repository';

/**
 * The one_time_tokens table with its one writer (OneTimeTokenRepository), on its own so that UsersService
 * can void a user's tokens in its transactions.
 */
@Module({
  imports: [TypeOrmModule.forFeature([OneTimeToken])],
  providers: [OneTimeTokenRepository],
  exports: [OneTimeTokenRepository],
})
export class OneTimeTokensModule {}
