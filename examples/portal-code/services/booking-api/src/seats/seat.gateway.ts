import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { Server, Socket } from 'socket.io';

@WebSocketGateway({ path: '/ws' })
export class SeatGateway {
  @WebSocketServer()
  server: Server;

  @SubscribeMessage('seat.hold')
  handleHold(@MessageBody() data: { sailingId: string; seatCode: string }, @ConnectedSocket() client: Socket) {
    client.join(data.sailingId);
    return { ok: true };
  }

  broadcastHold(sailingId: string, seatCode: string, expiresAt: string) {
    this.server.to(sailingId).emit('seat.held', { sailingId, seatCode, expiresAt });
  }

  broadcastRelease(sailingId: string, seatCode: string) {
    this.server.to(sailingId).emit('seat.released', { sailingId, seatCode });
  }
}
