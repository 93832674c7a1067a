import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { requestId } from './middleware/request-id';
import { rateLimits } from './routes/limits';

/**
 * The gateway: terminates TLS at the load balancer's side, adds the request id, enforces the
 * rate limits of the route inventory, and proxies to the services. It defines no routes of its
 * own; WebSocket upgrades on `/ws` go to `fleet` and `booking-api`.
 */
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(requestId());
  // … (left out of the example)












  app.use(rateLimits());
  await app.listen(3000);
}
bootstrap();
