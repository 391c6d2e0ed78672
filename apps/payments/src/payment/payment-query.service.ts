import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ListPaymentsQuery } from './dto/list-payments.query';
import { PaymentEntity } from './entities/payment.entity';
import { paymentView, PaymentView } from './payment.view';

/** Lists payments newest first, paged by an opaque keyset cursor (stable under concurrent inserts). */
@Injectable()
export class PaymentQueryService {
  constructor(@InjectRepository(PaymentEntity) private readonly payments: Repository<PaymentEntity>) {}

  async list(query: ListPaymentsQuery): Promise<{ data: PaymentView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const qb = this.payments.createQueryBuilder('p');
    if (query.orderId) qb.andWhere('p.order_id = :orderId', { orderId: query.orderId });
    if (query.customerId) qb.andWhere('p.customer_id = :customerId', { customerId: query.customerId });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.cursor) {
      const { createdAt, id } = decodeCursor(query.cursor);
      qb.andWhere(new Brackets((w) => w.where('p.created_at < :createdAt', { createdAt }).orWhere('p.created_at = :createdAt AND p.id < :id', { createdAt, id })));
    }
    const rows = await qb.orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map((p) => paymentView(p)), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }
}

function encodeCursor(p: PaymentEntity): string {
  return Buffer.from(JSON.stringify([p.createdAt.toISOString(), p.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw AppError.validation([{ field: 'cursor', message: 'cursor is not one this service issued' }]);
  }
}
