import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { JwtGuard } from '@kestrel/platform/auth';
import { AuthService } from './auth.service';
import { SessionService } from './session.service';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  login(@Body() credentials: { email: string; password: string }) {
    return this.auth.login(credentials);
  }
}

@Controller('auth')
@UseGuards(JwtGuard)
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  @Post('logout')
  revoke(@Body() body: { sessionId: string }) {
    return this.sessions.revoke(body.sessionId);
  }
}
