import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher.service';
import { PasswordPolicy } from './password-policy.service';

@Module({ providers: [PasswordHasher, PasswordPolicy], exports: [PasswordHasher, PasswordPolicy] })
export class PasswordsModule {}
