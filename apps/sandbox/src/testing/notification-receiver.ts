import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeForm, parseCharset, type PaystoryCharset } from '@app/paystory/charset/charset';

/** One notification as the merchant's server received it. */
export interface ReceivedNotification {
  contentType: string;
  charset: PaystoryCharset;
  fields: Record<string, string>;
  receivedAt: number;
}

/** How the merchant answers one notification: status and body. */
export type MerchantReply = { status: number; body: string };

/**
 * A merchant's notiUrl on a real local socket: records what arrives and answers each delivery
 * with the next scripted reply (the last one repeats).
 */
export class NotificationReceiver {
  readonly received: ReceivedNotification[] = [];
  private server?: Server;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly replies: MerchantReply[]) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const contentType = req.headers['content-type'] ?? '';
        const charset = parseCharset(/charset=([^;]+)/i.exec(contentType)?.[1]);
        this.received.push({
          contentType,
          charset,
          fields: decodeForm(Buffer.concat(chunks), charset),
          receivedAt: Date.now(),
        });
        const reply = this.replies[Math.min(this.received.length - 1, this.replies.length - 1)];
        res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' }).end(reply.body);
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.count ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/noti`;
  }

  /** Resolves once `count` notifications have arrived. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
