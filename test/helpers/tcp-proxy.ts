/**
 * A TCP proxy on loopback between a client and a real server (PostgreSQL here), to play the server
 * going away without touching it: `outage()` cuts every open connection and stops listening, so new
 * connections are refused (ECONNREFUSED), as while a server restarts; `restore()` listens again on the
 * same port; `stalled` plays a server that accepts and never answers; `silence()` a server whose host
 * died under open connections (they stay open and carry nothing, new ones reach the server, as after a
 * failover). The real server never notices more than clients that disconnected.
 */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Forwarding connections: client and upstream. */
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Connections accepted since start (each client connection counts once). */
  accepted = 0;
  /** While true, new connections are accepted and never forwarded (a server that hangs). */
  stalled = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await proxy.listen(0);
    return proxy;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => this.pipe(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private pipe(client: Socket): void {
    this.accepted++;
    if (this.stalled) {
      this.sockets.add(client);
      client.on('error', () => client.destroy()).on('close', () => this.sockets.delete(client));
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    this.sockets.add(client);
    this.sockets.add(upstream);
    this.pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      this.pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** The server "restarts": every connection is cut and new ones are refused until `restore()`. */
  async outage(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server?.listening) {
      server.close();
      await once(server, 'close');
    }
  }

  /**
   * The host under every open connection dies: they stay open (no reset, no close) and whatever either
   * side sends is lost; connections made afterwards reach the server as usual.
   */
  silence(): void {
    for (const pair of this.pairs) {
      const [client, upstream] = pair;
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.on('data', () => {});
      upstream.on('data', () => {});
      this.pairs.delete(pair);
    }
  }

  /** The server is back, on the same port. */
  async restore(): Promise<void> {
    if (this.server) return;
    // The port was ours a moment ago; another process taking it meanwhile is very unlikely, so retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.listen(this.port);
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async stop(): Promise<void> {
    await this.outage();
  }
}
