import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['healthy'], example: 'healthy' }) status!: 'healthy';
  @ApiProperty({ format: 'date-time', example: '2026-01-15T10:30:00.000Z' }) timestamp!: string;
}

export class BasicHealthDto extends LivenessDto {
  @ApiProperty({ example: '1.0.0' }) version!: string;
  @ApiProperty({ enum: ['development', 'test', 'production'], example: 'development' }) environment!: string;
}
