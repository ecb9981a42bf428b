import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

/** Money fields of a request: one of the two, checked exactly by moneyFrom (never a float). */
export class AmountDto {
  @ApiPropertyOptional({
    example: '5000000',
    description: 'amount in fen (分) as digits or a whole number; or give amountYuan',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  })
  @IsOptional()
  amountFen?: string | number;

  @ApiPropertyOptional({
    example: '50000.00',
    description: 'amount in yuan (元) with at most two decimals, as text; or give amountFen',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  })
  @IsOptional()
  amountYuan?: string | number;
}
