import { Body, Controller, Post } from '@nestjs/common';
import { FareService } from './fare.service';

@Controller('quotes')
export class FareController {
  constructor(private readonly fares: FareService) {}

  @Post()
  quote(@Body() request: unknown) {
    return this.fares.quote(request);
  }
}
