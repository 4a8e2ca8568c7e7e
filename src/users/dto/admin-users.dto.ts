import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { BoundedIntQuery } from '../../common/validation/query.decorators';
import { USER_ROLES, UserRole } from '../entities/user.entity';
import { Optional } from '../../common/validation/optional.decorator';
import { AdminUserDto } from './admin-user.dto';

export class AdminUserQueryDto {
  @BoundedIntQuery('page', 1, 1_000_000, 1)
  page = 1;

  @BoundedIntQuery('limit', 1, 100, 20)
  limit = 20;

  @ApiPropertyOptional({ description: 'Matches names and email, case-insensitively', example: 'doe' })
  @IsOptional()
  @IsString({ message: 'search must be text' })
  @MaxLength(200, { message: 'search must be at most 200 characters long' })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'search must not contain control characters' })
  search?: string;
}

/** Forms send booleans as text. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

export class AdminUpdateUserDto {
  @ApiPropertyOptional({ enum: USER_ROLES, example: 'user' })
  @Optional()
  @IsIn(USER_ROLES, { message: 'role must be user or admin' })
  role?: UserRole;

  @ApiPropertyOptional({ description: 'false revokes every token of the user', example: true })
  @Optional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'isActive must be true or false' })
  isActive?: boolean;
}

export class UserPageDto {
  @ApiProperty({ type: [AdminUserDto] }) items!: AdminUserDto[];
  @ApiProperty({ type: 'integer', example: 42 }) total!: number;
  @ApiProperty({ type: 'integer', example: 1 }) page!: number;
  @ApiProperty({ type: 'integer', example: 20 }) limit!: number;
}
