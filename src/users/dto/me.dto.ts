import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuthenticatedUser } from '../authenticated-user';
import { toUserDto, UserDto } from './user.dto';

export class ImpersonatedByDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'admin@example.com' }) email!: string;
}

/** The signed-in user; through an impersonation token, also the administrator acting as them. */
export class MeDto extends UserDto {
  @ApiPropertyOptional({
    type: ImpersonatedByDto,
    description: 'Present only on an impersonation token (its claims carry act): the administrator acting as you',
  })
  impersonatedBy?: ImpersonatedByDto;
}

export function toMeDto(caller: AuthenticatedUser): MeDto {
  const me: MeDto = toUserDto(caller.user);
  if (caller.impersonator) me.impersonatedBy = { id: caller.impersonator.id, email: caller.impersonator.email };
  return me;
}
