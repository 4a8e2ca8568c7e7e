import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { RequiresMetricsToken } from '../metrics/metrics-token.guard';
import {
  ApplicationMetricsDto,
  BasicHealthDto,
  DatabaseHealthDto,
  DetailedHealthDto,
  FullHealthDto,
  LivenessDto,
  ReadinessDto,
} from './dto/health.dto';
import {
  ApplicationMetricsHealth,
  BasicHealth,
  CheckedHealth,
  DetailedHealth,
  FullHealth,
  HealthService,
} from './health.service';

/** Probes answer 503 with the same body, so an orchestrator and a person read one shape. */
function withStatus<T extends { status: string }>(reply: FastifyReply, report: T): T {
  reply.status(report.status === 'unhealthy' ? 503 : 200);
  return report;
}

@ApiTags('Health')
// Every route refuses a NUL character or a bracketed query key, these included.
@ApiProblems(400)
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Basic status of the service' })
  @ApiOkResponse({ type: BasicHealthDto })
  basic(): BasicHealth {
    return this.health.basic();
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process and its event loop answer; touches no dependency' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'healthy', timestamp: new Date().toISOString() };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database reachable, no migration pending, not shutting down',
    description:
      'Redis is not part of readiness: without it the instance keeps serving on per-instance counters, ' +
      'and /health/detailed reports it as degraded.',
  })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'Not ready: the failing check says why' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<CheckedHealth> {
    return withStatus(reply, await this.health.readiness());
  }

  @Get('database')
  @ApiOperation({ summary: 'Database round trip with its latency' })
  @ApiOkResponse({ type: DatabaseHealthDto })
  @ApiServiceUnavailableResponse({ type: DatabaseHealthDto, description: 'The database is unreachable' })
  async database(@Res({ passthrough: true }) reply: FastifyReply): Promise<CheckedHealth> {
    return withStatus(reply, await this.health.databaseRoundTrip());
  }

  @Get('detailed')
  @RequiresMetricsToken()
  @ApiOperation({ summary: 'Database, Redis, memory and disk checks, uptime and memory usage' })
  @ApiOkResponse({ type: DetailedHealthDto, description: 'Healthy, or degraded when only Redis, memory or disk is' })
  @ApiServiceUnavailableResponse({ type: DetailedHealthDto, description: 'Unhealthy: the database is unreachable' })
  async detailed(@Res({ passthrough: true }) reply: FastifyReply): Promise<DetailedHealth> {
    return withStatus(reply, await this.health.detailed());
  }

  @Get('full')
  @RequiresMetricsToken()
  @ApiOperation({ summary: 'Detailed health plus process facts and the configuration, without secrets' })
  @ApiOkResponse({ type: FullHealthDto })
  @ApiServiceUnavailableResponse({ type: FullHealthDto, description: 'Unhealthy: the database is unreachable' })
  async full(@Res({ passthrough: true }) reply: FastifyReply): Promise<FullHealth> {
    return withStatus(reply, await this.health.full());
  }

  @Get('metrics')
  @RequiresMetricsToken()
  @ApiOperation({ summary: 'Application metrics as JSON: requests by status class, latency percentiles, logins' })
  @ApiOkResponse({ type: ApplicationMetricsDto })
  metrics(): Promise<ApplicationMetricsHealth> {
    return this.health.applicationMetrics();
  }
}
