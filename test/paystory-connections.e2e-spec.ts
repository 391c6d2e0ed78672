import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  PaystoryClient,
  PaystoryModule,
  PaystoryOutcomeUnknownError,
  type ChargeInput,
  type PaystoryModuleOptions,
} from '@app/paystory';
import { SANDBOX_MERCHANTS } from '@app/sandbox';

/** A gateway stand-in on a real socket that counts connections and requests, and answers as `answer` says. */
async function countingGateway(answer: (request: IncomingMessage, seen: number) => 'answer' | 'break'): Promise<{
  baseUrl: string;
  connections: () => number;
  requests: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      if (answer(req, requests) === 'break') {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"resultCd":"3011","resultMsg":"declined"}');
    });
  });
  // No server-side idle timeout and no `Keep-Alive: timeout` hint: a kept connection stays open until the test breaks it.
  server.keepAliveTimeout = 0;
  server.on('connection', (_socket: Socket) => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function bootClient(options: Partial<PaystoryModuleOptions> & { baseUrl: string }): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [
      PaystoryModule.forRoot({
        merchants: [{ name: 'card', ...SANDBOX_MERCHANTS.card }],
        timeoutMs: 2_000,
        ...options,
      }),
    ],
  }).compile();
}

function chargeInput(): ChargeInput {
  return {
    bid: 'BIKYkeepalive0001',
    payMethod: 'CARD',
    orderNo: `conn-${randomUUID().slice(0, 8)}`,
    goodsName: 'plan',
    amount: 1_000,
    installmentMonths: 0,
    buyerName: 'Kim',
    buyerTel: '01012345678',
  };
}

describe('connections to the gateway', () => {
  let moduleRef: TestingModule | undefined;
  let gateway: Awaited<ReturnType<typeof countingGateway>> | undefined;

  afterEach(async () => {
    await moduleRef?.close();
    await gateway?.close();
  });

  it('are kept open between requests and reused', async () => {
    gateway = await countingGateway(() => 'answer');
    moduleRef = await bootClient({ baseUrl: gateway.baseUrl });
    const client = moduleRef.get(PaystoryClient);

    for (let i = 0; i < 3; i++) await client.charge(chargeInput());

    expect(gateway.requests()).toBe(3);
    expect(gateway.connections()).toBe(1);
  });

  it('are one per request with keepAliveIdleMs 0', async () => {
    gateway = await countingGateway(() => 'answer');
    moduleRef = await bootClient({ baseUrl: gateway.baseUrl, keepAliveIdleMs: 0 });
    const client = moduleRef.get(PaystoryClient);

    for (let i = 0; i < 3; i++) await client.charge(chargeInput());

    expect(gateway.connections()).toBe(3);
  });

  it('never carry a charge twice: one broken on a reused connection is outcome unknown, sent once', async () => {
    gateway = await countingGateway((_req, seen) => (seen === 2 ? 'break' : 'answer'));
    moduleRef = await bootClient({ baseUrl: gateway.baseUrl });
    const client = moduleRef.get(PaystoryClient);
    await client.charge(chargeInput());

    const failure = await client.charge(chargeInput()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PaystoryOutcomeUnknownError);
    expect(failure).toMatchObject({ reason: 'connection_reset' });
    expect(gateway.connections()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gateway.requests()).toBe(2);
  });
});
