import { ApiProperty } from '@nestjs/swagger';
import { User } from '../entities/user.entity';
import { toUserDto, UserDto } from './user.dto';

/** A user as administrators see it: with the ban, if any. */
export class AdminUserDto extends UserDto {
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description:
      'When the ban ends; null with a banReason: banned until lifted. A ban is in force while banReason is set ' +
      'and bannedUntil is null or ahead; one whose end has passed has lifted itself.',
  })
  bannedUntil!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null, description: "The administrator's reason for the ban" })
  banReason!: string | null;
}

export function toAdminUserDto(user: User): AdminUserDto {
  return { ...toUserDto(user), bannedUntil: user.bannedUntil?.toISOString() ?? null, banReason: user.banReason };
}
