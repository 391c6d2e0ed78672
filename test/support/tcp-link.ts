import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP link in front of a server (the gateway, the broker, PostgreSQL) that a test can cut
 * (connections refused, as a server that is down), freeze (a server that hangs), silence (a host
 * that drops packets) or hang (both: a server or network gone silent mid-conversation), and restore
 * on the same port, the server and all it holds still there.
 */
export class TcpLink {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private silent = false;

  /** `target`: the server's URL (`http://…`, `amqp://…`); the link keeps its scheme and credentials. */
  constructor(private readonly target: string) {}

  /** The target's URL with the link's address in place of the server's. */
  get url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString().replace(/\/$/, '');
  }

  async up(): Promise<void> {
    const target = new URL(this.target);
    const server = createServer((client) => {
      if (this.silent) return this.hold(client);
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => [client, upstream].forEach((s) => s.destroy()));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /**
   * The connections open now stay open but carry nothing more either way, as a server that hangs
   * mid-conversation (no error, no answer); {@link down} ends them.
   */
  freeze(): void {
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  /**
   * The connections open now are cut, and new ones are taken and never answered, as a host that
   * drops packets: whoever connects waits for its own timeout. {@link down} ends them.
   */
  silence(): void {
    this.silent = true;
    for (const socket of this.sockets) socket.destroy();
  }

  /**
   * The connections open now stay open and carry nothing more ({@link freeze}), and new ones are
   * taken and never answered: a server, or the network to it, gone silent mid-conversation, with no
   * reset to tell anyone. {@link down} ends them.
   */
  hang(): void {
    this.silent = true;
    this.freeze();
  }

  /**
   * After {@link hang}: new connections reach the server again, while those that hung stay silent
   * for ever, as after a failover to a standby at the same address that told nobody.
   */
  failOver(): void {
    this.silent = false;
  }

  /** Refuses every connection from now on; kept-alive ones are cut too. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.silent = false;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private hold(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
  }
}
