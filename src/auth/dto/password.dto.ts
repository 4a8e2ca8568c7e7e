import { NewPasswordField, SubmittedPasswordField } from '../../common/validation/password.decorators';

export class ChangePasswordDto {
  @SubmittedPasswordField('currentPassword', { example: 'SecurePass123!' })
  currentPassword!: string;

  @NewPasswordField('newPassword', { example: 'An0ther-Long-Passphrase' })
  newPassword!: string;
}

export class DeleteAccountDto {
  @SubmittedPasswordField('password', { example: 'SecurePass123!', description: 'The current password, to confirm' })
  password!: string;
}
