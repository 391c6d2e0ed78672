import 'reflect-metadata';
import { Agent } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HttpModule, HttpService } from '@nestjs/axios';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { ENDPOINTS } from '@app/paystory';
import { bareChargeForm, bareChargeSchema, bareChargeSql } from '../support/bare-charge';

/**
 * The cpu benchmark's floor: what any charge must do, written with the parts the service is
 * required to use (Nest on platform-express, TypeORM on better-sqlite3, `@nestjs/axios`) and
 * nothing else: no validation, authentication, logging, metrics, signing or charset. The
 * charge's database path, statement for statement, around one form POST to the gateway stand-in,
 * whose answer is parsed (../support/bare-charge.ts, shared with the minimal app). Its CPU per request bounds
 * from below what the service's charge can cost on this stack: bare / floor is the best the cpu
 * ratio could be, and the floor's latency under the latency benchmark's load (on PostgreSQL) the
 * best that benchmark could show on this machine.
 *
 * FLOOR_DATABASE: a SQLite file (`:memory:` when unset) or a `postgres://` URL.
 */
const DATABASE = process.env.FLOOR_DATABASE ?? ':memory:';
const POSTGRES = DATABASE.startsWith('postgres');

const SQL = bareChargeSql(POSTGRES);

/** The service's settings for either database (apps/payments/src/database/data-source-options.ts). */
const DATA_SOURCE: DataSourceOptions = POSTGRES
  ? { type: 'postgres', url: DATABASE, extra: { max: 20 } }
  : {
      type: 'better-sqlite3',
      database: DATABASE,
      prepareDatabase: (sqlite: { pragma(statement: string): unknown }) => {
        sqlite.pragma('journal_mode = WAL');
        sqlite.pragma('synchronous = FULL');
        sqlite.pragma('busy_timeout = 5000');
        sqlite.pragma('foreign_keys = ON');
      },
    };

@Controller()
class FloorController {
  private readonly agent = new Agent({ keepAlive: true });
  /** One SQLite connection: its transactions one after another, as the service's UnitOfWork queues them. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly http: HttpService,
  ) {}

  @Post('floor')
  @HttpCode(201)
  async charge(@Body() body: { amount: number; goodsName: string }): Promise<Record<string, unknown>> {
    const id = randomUUID();
    const key = `k-${id}`;
    await this.db.query(SQL.readCard);
    await this.transaction(async (m) => {
      await m.query(SQL.claimKey, [key]);
      await m.query(SQL.insertPending, [id, id, body.amount]);
    });
    const answer = await this.http.axiosRef.post<Record<string, unknown>>(
      `${process.env.GATEWAY_URL}${ENDPOINTS.charge.path}`,
      bareChargeForm(id, body.amount, body.goodsName),
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        httpAgent: this.agent,
        validateStatus: () => true,
      },
    );
    const tid = String(answer.data.resultCd ?? '');
    const payment = { id, amount: body.amount, status: 'APPROVED', tid };
    const json = JSON.stringify(payment);
    await this.transaction(async (m) => {
      await m.query(SQL.approve, [tid, id]);
      await m.query(SQL.insertEvent, [json]);
      await m.query(SQL.answerKey, [json, key]);
    });
    return payment;
  }

  private transaction(work: (m: EntityManager) => Promise<void>): Promise<void> {
    // PostgreSQL's transactions run side by side on the pool's connections, as the service's do.
    if (POSTGRES) return this.db.transaction(work);
    const result = this.tail.then(() => this.db.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}

@Module({
  imports: [TypeOrmModule.forRoot(DATA_SOURCE), HttpModule],
  controllers: [FloorController],
})
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, { logger: ['error', 'warn'] });
  const db = app.get(DataSource);
  for (const statement of bareChargeSchema(POSTGRES)) await db.query(statement);
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();
