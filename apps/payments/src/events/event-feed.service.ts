import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { eventEnvelope, type DomainEventEnvelope } from './event-envelope';

/** One tenant's events, oldest first, paged by the id of the last one read (`GET /v1/events`). */
@Injectable()
export class EventFeed {
  constructor(
    @InjectRepository(OutboxEventEntity, PAYMENTS_DATA_SOURCE) private readonly events: Repository<OutboxEventEntity>,
  ) {}

  /** The page after `after`; an id that is not one of the tenant's events reads from the first, as an unknown id always did. */
  async page(
    tenantId: string,
    after: string | undefined,
    limit: number,
  ): Promise<{ data: DomainEventEnvelope[]; next: string | null }> {
    const anchor = after ? await this.events.findOneBy({ id: after, tenantId }) : null;
    const rows = await this.events.find({
      where: { tenantId, seq: MoreThan(anchor?.seq ?? 0) },
      order: { seq: 'ASC' },
      take: limit,
    });
    const data = rows.map(eventEnvelope);
    return { data, next: data.length > 0 ? data[data.length - 1].id : (after ?? null) };
  }
}
