import { Module } from '@nestjs/common';
import { BookingController } from './bookings/bookings.controller';
import { PassengerController } from './passengers/passengers.controller';
import { SeatController } from './seats/seats.controller';
import { SeatGateway } from './seats/seat.gateway';

@Module({
  controllers: [BookingController, PassengerController, SeatController],
  providers: [SeatGateway],
})
export class AppModule {}
