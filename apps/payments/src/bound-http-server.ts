import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExpressAdapter } from '@nestjs/platform-express';

/**
 * An HTTP server listening before the app is built, so that the port the system chooses for
 * PORT=0 is in the configuration the app is built from (publicBaseUrl, hence notiUrl and
 * returnUrl). It answers 503 until {@link BoundExpressAdapter.attach} hands it to the app.
 */
export async function bindHttpServer(port: number, host: string): Promise<Server> {
  const server = createServer(answerStarting);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Express for a Nest app on a server that already listens: give it to NestFactory.create, and `attach()` once the app is initialised. */
export class BoundExpressAdapter extends ExpressAdapter {
  constructor(private readonly bound: Server) {
    super();
  }

  override initHttpServer(): void {
    this.setHttpServer(this.bound);
  }

  /** From now on the app answers the server's requests. */
  attach(): void {
    this.bound.off('request', answerStarting);
    this.bound.on('request', this.getInstance());
  }
}

function answerStarting(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(503, { 'Retry-After': '1', 'Content-Length': '0' }).end();
}
