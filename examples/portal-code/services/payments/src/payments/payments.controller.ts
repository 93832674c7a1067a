import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { JwtGuard } from '@kestrel/platform/auth';
import { PaymentService } from './payment.service';

@Controller('payments')
@UseGuards(JwtGuard)
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  @Post()
  authorise(@Body() request: unknown) {
    return this.payments.authorise(request);
  }
}
