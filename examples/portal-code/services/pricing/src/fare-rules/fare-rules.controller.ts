import { Body, Controller, Param, Put, UseGuards } from '@nestjs/common';
import { AdminGuard } from '@kestrel/platform/auth';
import { FareRuleService } from './fare-rule.service';

@Controller('admin/fare-rules')
@UseGuards(AdminGuard)
export class FareRuleController {
  constructor(private readonly rules: FareRuleService) {}

  @Put(':id')
  update(@Param('id') id: string, @Body() rule: unknown) {
    return this.rules.update(id, rule);
  }
}
