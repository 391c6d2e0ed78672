import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import { PaystoryClient } from '../client/paystory.client';
import { PaystoryModule } from '../paystory.module';
import type { PaystoryModuleOptions } from '../paystory-options.interface';
import type { GatewayExchange } from './gateway-exchange';

const MERCHANTS = [{ name: 'card', mid: 'exchangem1', merchantKey: 'exchange-spec-merchant-key' }];

/** A stand-in gateway whose answers each test sets, path by path, in the order they are given. */
class ScriptedGateway {
  private readonly server: Server = createServer((request, response) => this.answer(request, response));
  private script = new Map<string, ((response: ServerResponse) => void)[]>();

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  on(path: string, ...answers: ((response: ServerResponse) => void)[]): void {
    this.script.set(path, answers);
  }

  clear(): void {
    this.script.clear();
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    const next = this.script.get(path)?.shift();
    if (next) next(response);
    else response.writeHead(404).end();
  }
}

const json = (fields: Record<string, string>) => (response: ServerResponse) =>
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(fields));
const status500 = (response: ServerResponse) => response.writeHead(500).end('<html>down</html>');
const silence = () => undefined;

describe('PaystoryModule onExchange', () => {
  const gateway = new ScriptedGateway();
  let baseUrl: string;
  const modules: TestingModule[] = [];

  beforeAll(async () => {
    baseUrl = await gateway.start();
  });
  afterEach(() => gateway.clear());
  afterAll(async () => {
    await Promise.all(modules.map((m) => m.close()));
    await gateway.stop();
  });

  async function clientObserving(options: Partial<PaystoryModuleOptions>): Promise<PaystoryClient> {
    const moduleRef = await Test.createTestingModule({
      imports: [PaystoryModule.forRoot({ baseUrl, merchants: MERCHANTS, timeoutMs: 300, readRetries: 1, ...options })],
    }).compile();
    modules.push(moduleRef);
    return moduleRef.get(PaystoryClient);
  }

  it("tells the observer of an answered call: endpoint, the answer's category and code, duration", async () => {
    const seen: GatewayExchange[] = [];
    const client = await clientObserving({ onExchange: (exchange) => seen.push(exchange) });
    gateway.on('/payment.deleteBill', json({ resultCd: 'F012', resultMsg: '빌키 삭제 성공', bid: 'BIKYexchange01' }));

    await client.deleteBillingKey({ bid: 'BIKYexchange01' });

    expect(seen).toEqual([
      {
        endpoint: 'deleteBillingKey',
        outcome: 'success',
        resultCode: 'F012',
        durationMs: expect.any(Number),
        attempt: 1,
      },
    ]);
  });

  it("reads a success code that is not the endpoint's as unknown, as the client does", async () => {
    const seen: GatewayExchange[] = [];
    const client = await clientObserving({ onExchange: (exchange) => seen.push(exchange) });
    gateway.on('/payment.deleteBill', json({ resultCd: 'F011', resultMsg: '빌키 발급 성공' }));

    const outcome = await client.deleteBillingKey({ bid: 'BIKYexchange02' });

    expect(outcome).toMatchObject({ ok: false, category: 'unknown' });
    expect(seen).toEqual([expect.objectContaining({ outcome: 'unknown', resultCode: 'F011' })]);
  });

  it('tells of each attempt of a retried query, a failed one with its reason', async () => {
    const seen: GatewayExchange[] = [];
    const client = await clientObserving({ onExchange: (exchange) => seen.push(exchange) });
    gateway.on('/transaction', status500, json({ resultCd: '0000', resultMsg: '성공' }));

    await client.queryByOrderNo('order-exchange-3').catch(() => undefined);

    expect(seen).toEqual([
      expect.objectContaining({ endpoint: 'query', outcome: 'unknown', failure: 'http_status', attempt: 1 }),
      expect.objectContaining({ endpoint: 'query', outcome: 'success', resultCode: '0000', attempt: 2 }),
    ]);
    expect(seen[0]).not.toHaveProperty('resultCode');
  });

  it('tells of a call left unanswered as a timeout, and of one that could not connect as unreachable', async () => {
    const seen: GatewayExchange[] = [];
    const client = await clientObserving({ onExchange: (exchange) => seen.push(exchange), readRetries: 0 });
    gateway.on('/payment.deleteBill', silence);
    await expect(client.deleteBillingKey({ bid: 'BIKYexchange04' })).rejects.toThrow();

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await clientObserving({ baseUrl: closedUrl, onExchange: (exchange) => seen.push(exchange) });
    await expect(unreachable.deleteBillingKey({ bid: 'BIKYexchange05' })).rejects.toThrow();

    expect(seen).toEqual([
      expect.objectContaining({ endpoint: 'deleteBillingKey', outcome: 'timeout', failure: 'timeout' }),
      expect.objectContaining({ endpoint: 'deleteBillingKey', outcome: 'unreachable', failure: 'connection_refused' }),
    ]);
    expect(seen[0].durationMs).toBeGreaterThanOrEqual(290);
  });

  it('returns what the gateway said even when the observer throws', async () => {
    const client = await clientObserving({
      onExchange: () => {
        throw new Error('observer broke');
      },
    });
    gateway.on('/payment.deleteBill', json({ resultCd: 'F012', resultMsg: '빌키 삭제 성공', bid: 'BIKYexchange06' }));

    await expect(client.deleteBillingKey({ bid: 'BIKYexchange06' })).resolves.toMatchObject({ ok: true, code: 'F012' });
  });

  it('refuses an onExchange that is not a function at start, naming the option', async () => {
    const options = { onExchange: 'metrics' } as unknown as Partial<PaystoryModuleOptions>;
    await expect(clientObserving(options)).rejects.toThrow('PaystoryModule option onExchange must be a function');
  });
});
