import { Body, Controller, Param, Patch, UseGuards } from '@nestjs/common';
import { AdminGuard } from '@kestrel/platform/auth';
import { VesselService } from './vessel.service';

@Controller('admin/vessels')
@UseGuards(AdminGuard)
export class VesselController {
  constructor(private readonly vessels: VesselService) {}

  @Patch(':id')
  update(@Param('id') id: string, @Body() patch: unknown) {
    return this.vessels.update(id, patch);
  }
}
