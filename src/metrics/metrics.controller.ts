import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { RequiresMetricsToken } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

@ApiTags('Metrics')
// Every route refuses a NUL character or a bracketed query key, these included.
@ApiProblems(400)
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @RequiresMetricsToken()
  @ApiOperation({ summary: 'Application and Node process metrics in Prometheus text format' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus exposition format 0.0.4',
    schema: { type: 'string', example: 'http_requests_total{method="GET",route="/health/live",status="200"} 3\n' },
  })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(this.metrics.contentType);
    return this.metrics.prometheusText();
  }
}
