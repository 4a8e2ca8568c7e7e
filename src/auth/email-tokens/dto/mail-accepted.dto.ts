import { ApiProperty } from '@nestjs/swagger';

/** The 202 of the routes that send mail: it says what may happen, never whether an account exists. */
export class MailAcceptedDto {
  @ApiProperty({ example: 'If an account has this address, a link to reset its password is on its way' })
  message!: string;
}
