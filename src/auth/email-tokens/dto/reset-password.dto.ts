import { NewPasswordField } from '../../../common/validation/password.decorators';
import { OneTimeTokenField } from './one-time-token.field';

export class ResetPasswordDto {
  @OneTimeTokenField()
  token!: string;

  @NewPasswordField('newPassword', {
    example: 'An0ther-Long-Passphrase',
    description: 'The same policy as at registration',
  })
  newPassword!: string;
}
