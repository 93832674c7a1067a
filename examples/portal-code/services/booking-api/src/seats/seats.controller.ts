import { Body, Controller, Param, Patch } from '@nestjs/common';
import { BookingService } from '../bookings/booking.service';

@Controller('bookings/:id/seats')
export class SeatController {
  constructor(private readonly bookings: BookingService) {}

  @Patch()
  reassign(@Param('id') id: string, @Body() seats: unknown) {
    return this.bookings.reassignSeats(id, seats);
  }
}
