import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { BoundedIntQuery } from '../../common/validation/query.decorators';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, AuditAction, AuditOutcome } from '../audit-actions';

/** RFC 3339 date-time, as the OpenAPI `format: date-time` promises: a bare date is refused. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export class CursorQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (opaque)' })
  @IsOptional()
  @IsString({ message: 'cursor must be text' })
  @MaxLength(200, { message: 'cursor is invalid' })
  cursor?: string;
}

export class ActivityQueryDto extends CursorQueryDto {
  @BoundedIntQuery('limit', 1, 100, 20)
  limit = 20;
}

export class AuditQueryDto extends CursorQueryDto {
  @BoundedIntQuery('limit', 1, 500, 50)
  limit = 50;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: 'action must be one of the audit actions' })
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'The user who acted' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be a UUID' })
  actorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The account concerned' })
  @IsOptional()
  @IsUUID('all', { message: 'targetUserId must be a UUID' })
  targetUserId?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES, { message: 'outcome must be success or failure' })
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only events at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date' })
  @Matches(DATE_TIME, { message: 'since must be a date-time such as 2026-11-01T00:00:00Z' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only events before this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date' })
  @Matches(DATE_TIME, { message: 'until must be a date-time such as 2026-11-01T00:00:00Z' })
  until?: string;
}
