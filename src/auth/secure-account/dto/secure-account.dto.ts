import { ApiProperty } from '@nestjs/swagger';
import { OneTimeTokenField } from '../../email-tokens/dto/one-time-token.field';

export class SecureAccountDto {
  @OneTimeTokenField()
  token!: string;
}

export const REMOVED_WAYS_IN = ['passkey', 'totp', 'identity'] as const;
export type RemovedWayIn = (typeof REMOVED_WAYS_IN)[number];

export class AccountSecuredDto {
  @ApiProperty({
    example: 'Every session has ended. A link to choose a new password is on its way.',
  })
  message!: string;

  @ApiProperty({
    // null among the values: OpenAPI 3.0 checks a nullable enum's null against the list too.
    enum: [...REMOVED_WAYS_IN, null] as unknown as string[],
    nullable: true,
    type: String,
    example: 'passkey',
    description:
      'What the notified event had added and this step removed: the passkey, or the authenticator app with ' +
      'its recovery codes; null when the event added nothing, or it was already gone',
  })
  removed!: RemovedWayIn | null;
}
