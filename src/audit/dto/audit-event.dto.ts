import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../audit-actions';
import { AuditItem } from '../audit-reader';
import { ActivityItem, ADMINISTRATOR } from '../own-activity';

export class AuditEventDto implements AuditItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS, example: 'login.succeeded' }) action!: string;
  @ApiProperty({ enum: AUDIT_OUTCOMES, example: 'success' }) outcome!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The user who acted; null when nobody proved who they are (a failed login, a registration)',
  })
  actorId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The account concerned' })
  targetUserId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.7' }) ipAddress!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Mozilla/5.0' }) userAgent!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "The service's own id of the request that caused it: the response's X-Request-Id when the service chose " +
      "it; when the client sent its own X-Request-Id (echoed in the response), a UUID of the service's, and the " +
      "client's id is in `details.clientRequestId` (clients may reuse ids, so they never stand for a request)",
  })
  requestId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Context of the event (flat; never a password, token, code or hash)',
    example: { sessionId: '0b6c3f55-7c3c-4c8e-9d8a-3b2f0c1e5a77' },
  })
  details!: Record<string, string | number | boolean | null>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}

export class ActivityItemDto extends AuditEventDto implements ActivityItem {
  @ApiPropertyOptional({
    enum: [ADMINISTRATOR],
    description:
      "On rows an administrator wrote about your account: `actorId`, `ipAddress` and `userAgent` are then null (an administrator's are never shown)",
  })
  actor?: typeof ADMINISTRATOR;
}

export class ActivityPageDto {
  @ApiProperty({ type: [ActivityItemDto] }) items!: ActivityItemDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}
