import { Controller, Get, Query } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { eventEnvelope } from './event-envelope';
import { ListEventsQuery } from './list-events.query';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { ApiKeyAuth } from '../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { EventPageResponse } from './dto/event-page.response';

/** `GET /v1/events?after=<id>`: the outbox, oldest first, for consumers that page through it. */
@ApiTags('Events')
@ApiKeyAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    @InjectRepository(OutboxEventEntity, PAYMENTS_DATA_SOURCE) private readonly events: Repository<OutboxEventEntity>,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Domain events, oldest first, after the one named' })
  @ApiOkResponse({ type: EventPageResponse })
  @ApiProblems(400)
  async list(@Query() query: ListEventsQuery) {
    let afterSeq = 0;
    if (query.after) {
      const anchor = await this.events.findOneBy({ id: query.after });
      afterSeq = anchor?.seq ?? 0;
    }
    const rows = await this.events.find({
      where: { seq: MoreThan(afterSeq) },
      order: { seq: 'ASC' },
      take: query.limit ?? 100,
    });
    const data = rows.map(eventEnvelope);
    return { data, next: data.length > 0 ? data[data.length - 1].id : (query.after ?? null) };
  }
}
