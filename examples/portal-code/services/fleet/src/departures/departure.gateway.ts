import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { Server } from 'socket.io';

@WebSocketGateway({ path: '/ws' })
export class DepartureGateway {
  @WebSocketServer()
  server: Server;

  @SubscribeMessage('board.subscribe')
  handleSubscribe(@MessageBody() data: { terminalId: string }) {
    return { ok: true, terminalId: data.terminalId };
  }

  @SubscribeMessage('board.unsubscribe')
  handleUnsubscribe(@MessageBody() data: { terminalId: string }) {
    return { ok: true, terminalId: data.terminalId };
  }

  broadcastDelay(sailingId: string, minutes: number) {
    this.server.to(sailingId).emit('departure.delayed', { sailingId, minutes });
  }

  broadcastBoarding(sailingId: string, gate: string) {
    this.server.to(sailingId).emit('departure.boarding', { sailingId, gate });
  }

  broadcastCancellation(sailingId: string, reason: string) {
    this.server.to(sailingId).emit('departure.cancelled', { sailingId, reason });
  }

  sendSnapshot(terminalId: string, sailings: unknown[]) {
    this.server.to(terminalId).emit('board.snapshot', { terminalId, sailings, generatedAt: new Date().toISOString() });
  }
}
