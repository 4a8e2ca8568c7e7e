import { applyDecorators, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../common/openapi/api-problems.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { ActionPage } from './action-page';
import { ACTION_PAGE_POLICY } from './action-page-assets';

/** A route serving an action page: public, HTML with the pages' own CSP, documented as text/html. */
export function ActionPageRoute(page: ActionPage): MethodDecorator {
  return applyDecorators(
    Get(page.path),
    Public(),
    // Replaces the API's policy (default-src 'none'), which would block the page's own script.
    Header('Content-Security-Policy', ACTION_PAGE_POLICY),
    Header('Content-Type', 'text/html; charset=utf-8'),
    ApiTags('Authentication'),
    ApiOperation({
      summary: page.summary,
      description:
        `The link mailed as FRONTEND_URL/${page.path}?token=… opens this page when FRONTEND_URL is unset. ` +
        'Loading it changes nothing (mail scanners open links): its button posts the token to ' +
        `POST /${page.endpoint}. With FRONTEND_URL set, the front end answers the link and this route is 404.`,
    }),
    ApiProduces('text/html'),
    ApiOkResponse({
      description: 'A self-contained HTML page: no external resource, its one script allowed by hash',
      content: { 'text/html': { schema: { type: 'string' } } },
    }),
    ApiProblems(400, 404, 429),
  );
}
