import { Body, Controller, Get, Put, Req, UseGuards } from '@nestjs/common';
import { JwtGuard } from '@kestrel/platform/auth';
import { UserService } from './user.service';

@Controller('me')
@UseGuards(JwtGuard)
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get()
  me(@Req() req: { user: { id: string } }) {
    return this.users.find(req.user.id);
  }

  @Get('loyalty')
  loyalty(@Req() req: { user: { id: string } }) {
    return this.users.loyalty(req.user.id);
  }
}

@Controller('me/notification-preferences')
@UseGuards(JwtGuard)
export class PreferenceController {
  constructor(private readonly users: UserService) {}

  @Put()
  update(@Req() req: { user: { id: string } }, @Body() prefs: unknown) {
    return this.users.setPreferences(req.user.id, prefs);
  }
}
