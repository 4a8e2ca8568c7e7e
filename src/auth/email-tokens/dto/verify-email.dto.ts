import { OneTimeTokenField } from './one-time-token.field';

export class VerifyEmailDto {
  @OneTimeTokenField()
  token!: string;
}
