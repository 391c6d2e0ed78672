import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeForm, parseCharset } from '@app/paystory';
import { sleep } from './waiting';

/** What the service answered to one relayed delivery. */
export interface RelayedAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** One delivery of the gateway, kept by the gate until the test lets it through. */
export interface HeldDelivery {
  /** The bytes the gateway sent, exactly. */
  body: Buffer;
  contentType: string;
  /** The form decoded in the charset its content type names. */
  fields: Record<string, string>;
  /** Forwards it to the service and answers the gateway with the service's answer. */
  release(): Promise<RelayedAnswer>;
}

/**
 * The notiUrl the service gives the gateway (`PUBLIC_BASE_URL`), standing between the sandbox and
 * the service on a real socket. Passing, it relays each genuine notification at once; holding, it
 * keeps them until the test releases them, so a test chooses when and in which order they arrive.
 */
export class NotificationGate {
  /** Where deliveries are relayed: the service's base URL (known once the service listens). */
  target = '';
  /** The gate's own base URL, once started. */
  url = '';
  private holding = false;
  private readonly held: HeldDelivery[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.receive(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** From now on, keep deliveries until released. */
  hold(): void {
    this.holding = true;
  }

  /** Relays every later delivery at once; those already held stay held. */
  pass(): void {
    this.holding = false;
  }

  /** Resolves with the held delivery `match` selects, once the gateway has sent it, and takes it off the list. */
  async take(match: (fields: Record<string, string>) => boolean, timeoutMs = 5_000): Promise<HeldDelivery> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.held.findIndex((d) => match(d.fields));
      if (index >= 0) return this.held.splice(index, 1)[0];
      if (Date.now() > deadline)
        throw new Error(
          `No held notification matched within ${timeoutMs} ms (held: ${JSON.stringify(this.held.map((d) => d.fields.tid))})`,
        );
      await sleep(10);
    }
  }

  /** Releases whatever is still held, and passes from now on. */
  async releaseAll(): Promise<void> {
    this.pass();
    await Promise.all(this.held.splice(0).map((d) => d.release()));
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const contentType = req.headers['content-type'] ?? '';
    const path = req.url ?? '/';
    let released: Promise<RelayedAnswer> | undefined;
    const delivery: HeldDelivery = {
      body,
      contentType,
      fields: decodeForm(body, parseCharset(/charset=([^;]+)/i.exec(contentType)?.[1])),
      release: () => (released ??= this.relay(path, body, contentType, res)),
    };
    if (this.holding) this.held.push(delivery);
    else await delivery.release();
  }

  private async relay(path: string, body: Buffer, contentType: string, res: ServerResponse): Promise<RelayedAnswer> {
    const response = await fetch(`${this.target}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(body),
    });
    const answer = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: await response.text(),
    };
    if (!res.destroyed)
      res.writeHead(answer.status, answer.contentType ? { 'content-type': answer.contentType } : {}).end(answer.body);
    return answer;
  }
}
