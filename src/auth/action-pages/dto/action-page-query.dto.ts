import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ActionPageQueryDto {
  @ApiPropertyOptional({
    description: "The token of the mailed link; read by the page's script, which sends it when the button is pressed",
    maxLength: 512,
  })
  @IsOptional()
  @IsString({ message: 'token must be text' })
  @MaxLength(512, { message: 'token is invalid or has expired; request a new link' })
  token?: string;
}
