import { Controller, Get, Headers, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Roles } from '../common/decorators/roles.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { cursorOf } from './audit-cursor-param';
import { NDJSON, ndjsonReply, wantsNdjson } from './audit-ndjson';
import { AuditFilter, AuditReader } from './audit-reader';
import { AuditEventDto, AuditPageDto } from './dto/audit-event.dto';
import { AuditQueryDto } from './dto/audit-query.dto';
import { ApiImpersonationForbidden } from '../common/decorators/not-while-impersonating.decorator';

@ApiTags('Audit')
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiExtraModels(AuditPageDto, AuditEventDto)
@Roles('admin')
@ApiImpersonationForbidden()
@ApiServiceProblems()
@Controller('admin/audit')
export class AdminAuditController {
  constructor(private readonly reader: AuditReader) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail, newest first',
    description:
      'Ordered by occurredAt, then id, both descending; `nextCursor` walks older pages, visiting every row ' +
      'that existed when the walk began exactly once. With `Accept: application/x-ndjson`, every matching row ' +
      '(cursor and limit ignored) is streamed as one JSON object per line, in the same order.',
  })
  @ApiOkResponse({
    description: 'A page (JSON) or every matching row (NDJSON)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditPageDto) } },
      [NDJSON]: {
        schema: { type: 'string', description: 'One AuditEvent object per line' },
      },
    },
  })
  @ApiProblems(400, 401, 403)
  async list(
    @Query() query: AuditQueryDto,
    @Headers('accept') accept: string | undefined,
  ): Promise<AuditPageDto | StreamableFile> {
    const after = cursorOf(query.cursor);
    const filter: AuditFilter = {
      action: query.action,
      actorId: query.actorId,
      targetUserId: query.targetUserId,
      outcome: query.outcome,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
    };
    if (wantsNdjson(accept)) {
      return ndjsonReply(this.reader.batches(filter));
    }
    return this.reader.page(filter, after, query.limit);
  }
}
