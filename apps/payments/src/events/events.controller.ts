import { Controller, Get, Query, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator';
import type { Principal } from '../common/auth/principal';
import { EventFeed } from './event-feed.service';
import { ListEventsQuery } from './list-events.query';
import { ApiKeyAuth } from '../common/openapi/api-key-auth.decorator';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { EventPageResponse } from './dto/event-page.response';
import { PaymentsApi } from '../api/payments-routes.decorator';

/** `GET /v1/events?after=<id>`: the caller's tenant's outbox, oldest first, for consumers that page through it. */
@ApiTags('Events')
@ApiKeyAuth()
@PaymentsApi()
@Controller({ path: 'v1/events', version: VERSION_NEUTRAL })
export class EventsController {
  constructor(private readonly feed: EventFeed) {}

  @Get()
  @ApiOperation({ summary: 'Domain events, oldest first, after the one named' })
  @ApiOkResponse({ type: EventPageResponse })
  @ApiProblems(400)
  list(@Query() query: ListEventsQuery, @CurrentPrincipal() principal: Principal) {
    return this.feed.page(principal.tenantId, query.after, query.limit ?? 100);
  }
}
