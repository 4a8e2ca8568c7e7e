import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { AppConfig } from '../config/app.config';
import { BasicHealthDto, LivenessDto } from './dto/health.dto';

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly app: AppConfig) {}

  @Get()
  @ApiOperation({ summary: 'Basic status of the service' })
  @ApiOkResponse({ type: BasicHealthDto })
  basic(): BasicHealthDto {
    return {
      status: 'healthy',
      timestamp: new Date().toISOString(),
      version: this.app.appVersion ?? '',
      environment: this.app.environment,
    };
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process and its event loop answer; touches no dependency' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'healthy', timestamp: new Date().toISOString() };
  }
}
