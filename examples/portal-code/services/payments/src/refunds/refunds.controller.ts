import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { AdminGuard, JwtGuard } from '@kestrel/platform/auth';
import { RefundService } from './refund.service';

/**
 * Refunds: a customer asks for one; small ones are approved automatically, the rest wait for
 * an operator (the approve route).
 */
@Controller()
export class RefundController {
  constructor(private readonly refunds: RefundService) {}

  // … (left out of the example)












  /** Asks for a refund of a booking; the eligibility check decides what happens next. */
  @Post('refunds')
  @UseGuards(JwtGuard)
  request(@Body() body: { bookingId: string; reason: string }) {
    return this.refunds.request(body.bookingId, body.reason);
  }

  @Post('admin/refunds/:id/approve')
  @UseGuards(AdminGuard)
  approve(@Param('id') id: string) {
    return this.refunds.approve(id);
  }

  /** The state of one refund, for the passenger who asked for it. */
  @Get('refunds/:id')
  @UseGuards(JwtGuard)
  get(@Param('id') id: string) {
    return this.refunds.get(id);
  }
}
