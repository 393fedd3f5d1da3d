/**
 * A fake Slack Socket Mode endpoint: a minimal WebSocket server (RFC 6455: handshake, text frames,
 * ping/pong, close) on a local port. On connect it says `hello` like Slack; `send` delivers envelopes
 * (events_api, interactive) and `acks` collects what the client answers (`{ envelope_id, payload }`).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let head: Buffer;
  if (length < 126) head = Buffer.from([0x80 | opcode, length]);
  else if (length < 65536) {
    head = Buffer.alloc(4);
    head.writeUInt8(0x80 | opcode, 0);
    head.writeUInt8(126, 1);
    head.writeUInt16BE(length, 2);
  } else {
    head = Buffer.alloc(10);
    head.writeUInt8(0x80 | opcode, 0);
    head.writeUInt8(127, 1);
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

export class FakeSocketModeServer {
  readonly acks: Ack[] = [];
  /** Every text message received, parsed. */
  readonly received: unknown[] = [];
  connections = 0;
  /** While true, new WebSocket connections are refused (503), as when Slack's endpoint is unreachable. */
  refuse = false;
  private server: Server | null = null;
  private socket: Socket | null = null;
  private closed: Promise<void> | null = null;

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake Socket Mode server not started');
    return `ws://127.0.0.1:${address.port}/link/?ticket=test-ticket&app_id=A0001`;
  }

  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      res.writeHead(426);
      res.end();
    });
    this.server.on('upgrade', (req, socket: Socket) => {
      const key = req.headers['sec-websocket-key'];
      if (this.refuse) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
        return;
      }
      if (typeof key !== 'string' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      const accept = createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      this.connections += 1;
      this.socket = socket;
      this.closed = once(socket, 'close').then(() => {});
      this.read(socket);
      this.sendJson({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake' },
        connection_info: { app_id: 'A0001' },
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }

  /** Cuts the connection without a close frame, as a network failure does. */
  drop(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  /** Resolves when the client has closed the connection. */
  async disconnected(): Promise<void> {
    await this.closed;
  }

  sendJson(message: unknown): void {
    if (!this.socket) throw new Error('no client connected');
    this.socket.write(frame(0x1, Buffer.from(JSON.stringify(message), 'utf8')));
  }

  async waitForAck(envelopeId: string, timeoutMs = 5000): Promise<Ack> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const ack = this.acks.find((a) => a.envelope_id === envelopeId);
      if (ack) return ack;
      if (Date.now() > until) throw new Error(`no ack for ${envelopeId}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private read(socket: Socket): void {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = (buffer[0] ?? 0) & 0x0f;
        const masked = ((buffer[1] ?? 0) & 0x80) !== 0;
        let length = (buffer[1] ?? 0) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        const maskAt = offset;
        if (masked) offset += 4;
        if (buffer.length < offset + length) return;
        const payload = Buffer.from(buffer.subarray(offset, offset + length));
        if (masked)
          for (let i = 0; i < payload.length; i++)
            payload[i] = (payload[i] ?? 0) ^ (buffer[maskAt + (i % 4)] ?? 0);
        buffer = buffer.subarray(offset + length);
        this.onFrame(socket, opcode, payload);
      }
    });
    socket.on('error', () => {});
  }

  private onFrame(socket: Socket, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x1: {
        const message = JSON.parse(payload.toString('utf8')) as Ack;
        this.received.push(message);
        if (typeof message.envelope_id === 'string') this.acks.push(message);
        return;
      }
      case 0x8:
        socket.write(frame(0x8, payload.subarray(0, 2)));
        socket.end();
        return;
      case 0x9:
        socket.write(frame(0xa, payload));
        return;
      default:
        return;
    }
  }
}
