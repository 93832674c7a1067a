import { Body, Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import { JwtGuard } from '@kestrel/platform/auth';
import { BookingService } from './booking.service';
import { CreateBookingDto } from './dto/create-booking.dto';

/**
 * Bookings: create one (hold seats, price the trip, start payment), read it, cancel it.
 *
 * Creating a booking is the first step of the booking flow described in the docs: the seats
 * are held for 15 minutes while the customer pays, and the hold sweeper releases them if the
 * payment never completes.
 */
@Controller('bookings')
@UseGuards(JwtGuard)
export class BookingController {
  constructor(private readonly bookings: BookingService) {}

  // … (left out of the example)
















  /**
   * Starts a booking. The body names the sailing, the passengers and the seats wanted; the
   * answer holds the booking id, the price and the payment intent the client confirms.
   *
   * Idempotent per `Idempotency-Key` header (see the platform's interceptor).
   */
  @Post()
  create(@Body() dto: CreateBookingDto) {
    return this.bookings.create(dto);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.bookings.find(id);
  }

  @Delete(':id')
  cancel(@Param('id') id: string) {
    return this.bookings.cancel(id);
  }

  @Get(':id/receipt')
  receipt(@Param('id') id: string) {
    return this.bookings.receipt(id);
  }
}
