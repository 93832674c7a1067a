import { Controller, Get, Param, Query } from '@nestjs/common';
import { SailingService } from './sailing.service';

/**
 * Sailings and departures: the timetable, a sailing's seat map, and the departure board's
 * data. All three are public (no authentication) and cached at the gateway for 30 seconds.
 */
@Controller()
export class SailingController {
  constructor(private readonly sailings: SailingService) {}

  @Get('sailings')
  list(@Query('from') from?: string, @Query('to') to?: string) {
    return this.sailings.list({ from, to });
  }

  @Get('sailings/:id/seats')
  seatMap(@Param('id') id: string) {
    return this.sailings.seatMap(id);
  }
  // … (left out of the example)
































































  /** What the departure screens show: the next sailings from a terminal, with their status. */
  @Get('departures')
  departures(@Query('terminal') terminal: string) {
    return this.sailings.departures(terminal);
  }
}
