import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock } from '../common/clock';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { cursorOf } from './audit-cursor-param';
import { AuditReader } from './audit-reader';
import { ActivityPageDto } from './dto/audit-event.dto';
import { asOwnActivity } from './own-activity';
import { ActivityQueryDto } from './dto/audit-query.dto';

/** What this module needs of the JWT guard's request.user (users/ sits above audit/). */
interface Caller {
  user: { id: string };
}

const ACTIVITY_DAYS = 90;
const DAY_MS = 86_400_000;

@ApiTags('Audit')
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiServiceProblems()
@Controller('user/me')
export class ActivityController {
  constructor(
    private readonly reader: AuditReader,
    private readonly clock: Clock,
  ) {}

  @Get('activity')
  @ApiOperation({
    summary: 'Your own security activity of the last 90 days, newest first',
    description:
      'Sign-ins (with address and user agent), failures and security changes of your account. What an ' +
      'administrator did to it says `actor: "administrator"`, without their id, address or user agent.',
  })
  @ApiOkResponse({ type: ActivityPageDto })
  @ApiProblems(400, 401)
  async list(@CurrentUser() caller: Caller, @Query() query: ActivityQueryDto): Promise<ActivityPageDto> {
    const since = new Date(this.clock.now().getTime() - ACTIVITY_DAYS * DAY_MS);
    const page = await this.reader.page({ targetUserId: caller.user.id, since }, cursorOf(query.cursor), query.limit);
    return { ...page, items: page.items.map((item) => asOwnActivity(item, caller.user.id)) };
  }
}
