import { Module } from '@nestjs/common';
import { OneTimeTokensService } from './one-time-tokens.service';

/** The one_time_tokens table on its own, so that UsersService can void a user's tokens in its transactions. */
@Module({ providers: [OneTimeTokensService], exports: [OneTimeTokensService] })
export class OneTimeTokensModule {}
