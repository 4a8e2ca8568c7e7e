import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OneTimeToken } from './entities/one-time-token.entity';
import { OneTimeTokensService } from './one-time-tokens.service';

/** The one_time_tokens table on its own, so that UsersService can void a user's tokens in its transactions. */
@Module({
  imports: [TypeOrmModule.forFeature([OneTimeToken])],
  providers: [OneTimeTokensService],
  exports: [OneTimeTokensService],
})
export class OneTimeTokensModule {}
