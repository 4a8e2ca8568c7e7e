import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module';
import { OneTimeTokensModule } from '../one-time-tokens/one-time-tokens.module';
import { KnownDevice } from './entities/known-device.entity';
import { KnownDeviceRepository } from './known-device.repository';
import { SecurityNotifications } from './security-notifications';

/**
 * Security notification mails and the devices an account was seen on. The secure-account step that
 * follows a mail's link undoes passkey and TOTP changes, so it lives above passkeys/ and mfa/, in auth/.
 */
@Module({
  imports: [TypeOrmModule.forFeature([KnownDevice]), MailModule, OneTimeTokensModule],
  providers: [SecurityNotifications, KnownDeviceRepository],
  exports: [SecurityNotifications, KnownDeviceRepository],
})
export class NotificationsModule {}
