import { Body, Controller, Param, Post } from '@nestjs/common';
import { BookingService } from '../bookings/booking.service';

@Controller('bookings/:id/passengers')
export class PassengerController {
  constructor(private readonly bookings: BookingService) {}

  @Post()
  add(@Param('id') id: string, @Body() passenger: unknown) {
    return this.bookings.addPassenger(id, passenger);
  }
}
