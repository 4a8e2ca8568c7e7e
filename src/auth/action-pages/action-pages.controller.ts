import { Controller, Query } from '@nestjs/common';
import { AppConfig } from '../../config/app.config';
import { ProblemException } from '../../common/problem-details/problem.exception';
import { ActionPage, renderActionPage } from './action-page';
import { ActionPageRoute } from './action-page-route.decorator';
import { RESET_PASSWORD_PAGE, SECURE_ACCOUNT_PAGE, VERIFY_EMAIL_PAGE } from './action-pages';
import { ActionPageQueryDto } from './dto/action-page-query.dto';

/**
 * The pages the mailed links open when FRONTEND_URL is unset, so that a developer clicking a link in
 * mail.log completes the step. A page is an ActionPage entry plus one three-line route here.
 */
@Controller()
export class ActionPagesController {
  private readonly rendered = new Map<ActionPage, string>();

  constructor(private readonly app: AppConfig) {}

  @ActionPageRoute(VERIFY_EMAIL_PAGE)
  verifyEmail(@Query() _query: ActionPageQueryDto): string {
    return this.page(VERIFY_EMAIL_PAGE);
  }

  @ActionPageRoute(RESET_PASSWORD_PAGE)
  resetPassword(@Query() _query: ActionPageQueryDto): string {
    return this.page(RESET_PASSWORD_PAGE);
  }

  @ActionPageRoute(SECURE_ACCOUNT_PAGE)
  secureAccount(@Query() _query: ActionPageQueryDto): string {
    return this.page(SECURE_ACCOUNT_PAGE);
  }

  private page(page: ActionPage): string {
    // The links point at the front end: the service serves no page of its own for them.
    if (this.app.frontendUrl) throw new ProblemException(404, 'No page here: the mailed links open FRONTEND_URL');
    let html = this.rendered.get(page);
    if (html === undefined) {
      html = renderActionPage(page, this.app.appName);
      this.rendered.set(page, html);
    }
    return html;
  }
}
