import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const TIMESTAMP = { format: 'date-time', example: '2026-01-15T10:30:00.000Z' };

export class LivenessDto {
  @ApiProperty({ enum: ['healthy'], example: 'healthy' }) status!: 'healthy';
  @ApiProperty(TIMESTAMP) timestamp!: string;
}

export class BasicHealthDto extends LivenessDto {
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ enum: ['development', 'test', 'production'], example: 'development' }) environment!: string;
}

export class CheckResultDto {
  @ApiProperty({ enum: ['healthy', 'unhealthy'], example: 'healthy' }) status!: 'healthy' | 'unhealthy';
  @ApiProperty({ example: 'Database connection successful' }) message!: string;
  @ApiPropertyOptional({ description: 'Round-trip time of the check, in milliseconds', example: 0.84 })
  latency_ms?: number;
  @ApiPropertyOptional({
    enum: ['single', 'sentinel', 'cluster'],
    description: 'Redis only (absent without REDIS_URL): one server, a Sentinel group or a Cluster; never a host',
    example: 'single',
  })
  mode?: 'single' | 'sentinel' | 'cluster';
}

class CheckedHealthDto {
  @ApiProperty({ enum: ['healthy', 'degraded', 'unhealthy'], example: 'healthy' })
  status!: 'healthy' | 'degraded' | 'unhealthy';
  @ApiProperty(TIMESTAMP) timestamp!: string;
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ enum: ['development', 'test', 'production'], example: 'production' }) environment!: string;
}

export class ReadinessChecksDto {
  @ApiPropertyOptional({ type: CheckResultDto }) database?: CheckResultDto;
  @ApiPropertyOptional({ type: CheckResultDto }) migrations?: CheckResultDto;
  @ApiPropertyOptional({ type: CheckResultDto, description: 'Only once shutdown has begun' })
  shutdown?: CheckResultDto;
}

export class ReadinessDto extends CheckedHealthDto {
  @ApiProperty({ type: ReadinessChecksDto }) checks!: ReadinessChecksDto;
}

export class DatabaseChecksDto {
  @ApiProperty({ type: CheckResultDto }) database!: CheckResultDto;
}

export class DatabaseHealthDto extends CheckedHealthDto {
  @ApiProperty({ type: DatabaseChecksDto }) checks!: DatabaseChecksDto;
}

export class DetailedChecksDto {
  @ApiProperty({
    type: CheckResultDto,
    description: 'Always `{ "status": "healthy", "message": "Application is running" }`',
  })
  application!: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) database!: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) redis!: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) memory!: CheckResultDto;
  @ApiProperty({ type: CheckResultDto }) disk!: CheckResultDto;
}

export class MemoryUsageDto {
  @ApiProperty({ example: 8 }) total_gb!: number;
  @ApiProperty({ example: 2.5 }) used_gb!: number;
  @ApiProperty({ example: 31.25 }) percentage!: number;
}

export class DetailedHealthDto extends CheckedHealthDto {
  @ApiProperty({ type: DetailedChecksDto }) checks!: DetailedChecksDto;
  @ApiProperty({ example: 3600.5 }) uptime_seconds!: number;
  @ApiProperty({ type: MemoryUsageDto, description: "The machine's memory" }) memory_usage!: MemoryUsageDto;
}

export class EventLoopDelayDto {
  @ApiProperty({ example: 10.2 }) mean!: number;
  @ApiProperty({ example: 10.1 }) p50!: number;
  @ApiProperty({ example: 12.5 }) p99!: number;
  @ApiProperty({ example: 30.4 }) max!: number;
}

export class HeapDto {
  @ApiProperty({ example: 48.2 }) used_mb!: number;
  @ApiProperty({ example: 64 }) total_mb!: number;
}

export class ProcessDetailsDto {
  @ApiProperty({ example: 'v20.20.0' }) node_version!: string;
  @ApiProperty({ type: 'integer', example: 1 }) pid!: number;
  @ApiProperty({ example: 'linux' }) platform!: string;
  @ApiProperty({ example: 'x64' }) arch!: string;
  @ApiProperty({ example: 3600.5 }) uptime_seconds!: number;
  @ApiProperty({ type: EventLoopDelayDto, description: 'Milliseconds' }) event_loop_delay_ms!: EventLoopDelayDto;
  @ApiProperty({ type: HeapDto }) heap!: HeapDto;
  @ApiProperty({ example: 131.5 }) rss_mb!: number;
}

export class FullHealthDto extends DetailedHealthDto {
  @ApiProperty({ type: ProcessDetailsDto }) process!: ProcessDetailsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The non-secret settings in force: no secret, and of each dependency (database, Redis, SMTP) only its ' +
      'kind and whether it is configured, never its host, URL, database or user name',
    example: { environment: 'production', port: 8000, database: { kind: 'postgresql', pool_size: 10 } },
  })
  configuration!: Record<string, unknown>;
}

export class RequestCountsDto {
  @ApiProperty({ type: 'integer', example: 1520 }) total!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { '1xx': 0, '2xx': 1400, '3xx': 0, '4xx': 118, '5xx': 2 },
  })
  by_status_class!: Record<string, number>;
}

export class LatencyPercentilesDto {
  @ApiProperty({ type: 'number', nullable: true, example: 1.2, description: 'null before the first request' })
  p50!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 4.8 }) p90!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 9.7 }) p95!: number | null;
  @ApiProperty({ type: 'number', nullable: true, example: 24 }) p99!: number | null;
}

export class LoginCountsDto {
  @ApiProperty({ type: 'integer', example: 310 }) success!: number;
  @ApiProperty({ type: 'integer', example: 12 }) failure!: number;
}

export class ApplicationMetricsDto extends BasicHealthDto {
  @ApiProperty({ example: 3600.5 }) uptime_seconds!: number;
  @ApiProperty({ type: RequestCountsDto }) requests!: RequestCountsDto;
  @ApiProperty({ type: LatencyPercentilesDto, description: 'Estimated from the latency histogram, in ms' })
  latency_ms!: LatencyPercentilesDto;
  @ApiProperty({ type: LoginCountsDto }) logins!: LoginCountsDto;
  @ApiProperty({ type: 'integer', example: 4, description: 'Requests refused with 429' }) rate_limited!: number;
  @ApiProperty({ type: 'integer', example: 7, description: 'Tokens refused' }) token_rejections!: number;
}
