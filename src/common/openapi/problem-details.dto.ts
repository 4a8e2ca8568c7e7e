import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'email must be an email address' }) message!: string;
}

/** RFC 9457 problem details, the body of every error. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://www.rfc-editor.org/rfc/rfc9110#status.400' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ type: 'integer', example: 400 }) status!: number;
  @ApiProperty({ example: 'The request is invalid; see errors for each field' }) detail!: string;
  @ApiProperty({ example: '/user/auth/register' }) instance!: string;
  @ApiProperty({ example: '5b0e8f5e-8a5e-4c2a-9c1e-2f0b8d1d8c11' }) requestId!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present on validation failures (400)' })
  errors?: FieldErrorDto[];
}
