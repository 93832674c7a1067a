import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '@kestrel/platform/auth';
import { NotificationService } from './notification.service';

@Controller('internal/notifications')
@UseGuards(ApiKeyGuard)
export class NotificationController {
  constructor(private readonly notifications: NotificationService) {}

  @Post()
  send(@Body() message: unknown) {
    return this.notifications.send(message);
  }
}
