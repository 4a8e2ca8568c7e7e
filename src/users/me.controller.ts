import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser } from './authenticated-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiJsonOrFormBody } from '../common/openapi/api-body.decorator';
import { ApiProblems, ApiServiceProblems } from '../common/openapi/api-problems.decorator';
import { BEARER_SCHEME, SESSION_COOKIE_SCHEME } from '../common/openapi/security-schemes';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { MeDto, toMeDto } from './dto/me.dto';
import { toUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('Current user')
@ApiCookieAuth(SESSION_COOKIE_SCHEME)
@ApiBearerAuth(BEARER_SCHEME)
@ApiServiceProblems()
@Controller('user/me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems(401, 429)
  me(@CurrentUser() caller: AuthenticatedUser): MeDto {
    return toMeDto(caller);
  }

  @Patch()
  @ApiOperation({ summary: 'Update first and last name' })
  // Every field is optional, so no body is a valid (empty) change, as {} is.
  @ApiJsonOrFormBody(UpdateProfileDto, { required: false })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 415, 429)
  async update(@CurrentUser() caller: AuthenticatedUser, @Body() body: UpdateProfileDto): Promise<UserDto> {
    return toUserDto(await this.users.updateProfile(caller.user, body));
  }
}
