import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { OutboxEventEntity } from '../apps/payments/src/events/entities/outbox-event.entity';
import { OutboxRelay } from '../apps/payments/src/events/relay/outbox-relay';
import { ServiceInstanceEntity } from '../apps/payments/src/instances/entities/service-instance.entity';
import { InstanceLiveness } from '../apps/payments/src/instances/instance-liveness';
import { ApiKeysService } from '../apps/payments/src/api-keys/api-keys.service';
import type { EventBody, PaymentBody } from './support/api-bodies';
import { apiCaller, expectStatus, TEST_API_KEY } from './support/api-client';
import { eventsOf } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey, givenApprovedPayment } from './support/billing-fixtures';
import { BROKER_URL, brokerListening, tapNewExchange, type ExchangeTap } from './support/broker';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { TcpLink } from './support/tcp-link';
import { eventually, sleep } from './support/waiting';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';

/** The relay is driven by the test (relayDue) unless a test says otherwise; a failed delivery is tried again after 200 ms. */
const RELAY_DRIVEN_BY_TEST = { EVENTS_RELAY_ENABLED: 'false', EVENTS_RELAY_RETRY_MS: '200' } as const;

type Envelope = EventBody<PaymentBody>;

const published = (h: ServiceHarness, eventId: string) =>
  h.db.query<{ published_at: unknown }>('SELECT published_at FROM outbox_events WHERE id = ?', eventId);

async function chargeOnNewKey(h: ServiceHarness, amount: number): Promise<PaymentBody> {
  const key = await givenActiveBillingKey(h);
  const charged = await h.api<PaymentBody>('POST', '/v1/payments', chargeRequest(key.id, { amount }));
  expectStatus(charged, 201);
  return charged.body;
}

describe('Domain events delivered in process (CONTRACT.md "Events")', () => {
  let h: ServiceHarness;
  let received: Envelope[];

  beforeAll(async () => {
    h = await startHarness({ ...RELAY_DRIVEN_BY_TEST });
    received = [];
    h.service.app.get(EventEmitter2).on('payment.*', (event: Envelope) => void received.push(event));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('emits each recorded event once, as GET /v1/events lists it, after its transaction, and marks it published', async () => {
    const payment = await chargeOnNewKey(h, 18_000);
    expect(received.filter((e) => e.data.id === payment.id)).toEqual([]); // recorded, not yet relayed

    await h.service.app.get(OutboxRelay).relayDue();
    await h.service.app.get(OutboxRelay).relayDue();

    const [listed] = await eventsOf(h, payment.id);
    const emitted = received.filter((e) => e.data.id === payment.id);
    expect(emitted).toEqual([listed]);
    expect(emitted[0]).toMatchObject({
      tenantId: 'default',
      type: 'payment.approved',
      sequence: expect.any(Number),
      data: { id: payment.id, status: 'APPROVED', amount: 18_000 },
    });
    expect((await published(h, listed.id))[0].published_at).not.toBeNull();
  });

  it('delivers again, in order, an event whose handler failed, and marks it published only then', async () => {
    const emitter = h.service.app.get(EventEmitter2);
    const seen: string[] = [];
    let failuresLeft = 1;
    const failingOnce = async (event: Envelope) => {
      seen.push(event.id);
      if (failuresLeft-- > 0) throw new Error('the consumer is down');
    };
    emitter.on('payment.approved', failingOnce);
    try {
      const payment = await chargeOnNewKey(h, 19_000);
      const [event] = await eventsOf(h, payment.id);

      await h.service.app.get(OutboxRelay).relayDue();
      expect(seen).toEqual([event.id]);
      expect((await published(h, event.id))[0].published_at).toBeNull();

      await sleep(250); // EVENTS_RELAY_RETRY_MS
      await h.service.app.get(OutboxRelay).relayDue();

      expect(seen).toEqual([event.id, event.id]);
      expect((await published(h, event.id))[0].published_at).not.toBeNull();
    } finally {
      emitter.off('payment.approved', failingOnce);
    }
  });

  describe('an event another instance claimed', () => {
    const OTHER = 'inst_other_relay';
    // Written through the service's own data source, in its date format on either store.
    const dataSource = () => h.service.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE));
    const claimBy = (eventId: string, owner: string | null, until: Date) =>
      dataSource()
        .getRepository(OutboxEventEntity)
        .update({ id: eventId }, { relayOwnerInstanceId: owner, relayClaimedUntil: until });
    /** The other instance's heartbeat, `ageMs` old by the database's clock (INSTANCE_DEAD_AFTER_MS is 5 s). */
    const otherBeatAgo = async (ageMs: number) => {
      const beatAt = new Date(Date.now() - ageMs);
      await dataSource()
        .getRepository(ServiceInstanceEntity)
        .save({ id: OTHER, startedAt: beatAt, heartbeatAt: beatAt });
    };
    const emitted = (eventId: string) => received.filter((e) => e.id === eventId);

    it('is left while its owner is alive and its lease runs, and delivered at once when its owner is dead', async () => {
      const [event] = await eventsOf(h, (await chargeOnNewKey(h, 22_000)).id);
      await otherBeatAgo(0);
      await claimBy(event.id, OTHER, new Date(Date.now() + 60_000));

      await h.service.app.get(OutboxRelay).relayDue();
      expect(emitted(event.id)).toEqual([]);
      expect((await published(h, event.id))[0].published_at).toBeNull();

      // The owner's heartbeat goes stale (killed): its lease still has a minute to run.
      await otherBeatAgo(10_000);
      await h.service.app.get(OutboxRelay).relayDue();
      expect(emitted(event.id)).toEqual([event]);
      expect((await published(h, event.id))[0].published_at).not.toBeNull();
    });

    it('is delivered when its owner has no heartbeat row at all (swept, or gone at shutdown)', async () => {
      const [event] = await eventsOf(h, (await chargeOnNewKey(h, 22_500)).id);
      await claimBy(event.id, 'inst_never_seen', new Date(Date.now() + 60_000));

      await h.service.app.get(OutboxRelay).relayDue();
      expect(emitted(event.id)).toEqual([event]);
    });

    it('without an owner (claimed by an earlier release), is left until its lease runs out', async () => {
      const [event] = await eventsOf(h, (await chargeOnNewKey(h, 23_000)).id);

      await claimBy(event.id, null, new Date(Date.now() + 60_000));
      await h.service.app.get(OutboxRelay).relayDue();
      expect(emitted(event.id)).toEqual([]);

      await claimBy(event.id, null, new Date(Date.now() - 1));
      await h.service.app.get(OutboxRelay).relayDue();
      expect(emitted(event.id)).toEqual([event]);
      expect((await published(h, event.id))[0].published_at).not.toBeNull();
    });

    it('is delivered, owner alive or not, once its lease has run out (the backstop for a stuck owner)', async () => {
      const [event] = await eventsOf(h, (await chargeOnNewKey(h, 23_500)).id);
      await otherBeatAgo(0);
      await claimBy(event.id, OTHER, new Date(Date.now() - 1));

      await h.service.app.get(OutboxRelay).relayDue();
      expect(emitted(event.id)).toEqual([event]);
    });
  });

  it('claims nothing while this instance may itself look dead (its heartbeat cannot be written: fenced), and delivers once it can', async () => {
    const [event] = await eventsOf(h, (await chargeOnNewKey(h, 24_000)).id);
    const liveness = h.service.app.get(InstanceLiveness);
    // From now on every heartbeat write fails: after half of INSTANCE_DEAD_AFTER_MS the others may take this instance for dead.
    const heartbeat = jest.spyOn(liveness, 'beat').mockRejectedValue(new Error('the heartbeat cannot be written'));
    try {
      await eventually(
        async () => liveness.fenced,
        (fenced) => fenced,
        10_000,
        100,
      );
      await h.service.app.get(OutboxRelay).relayDue();
      expect(received.filter((e) => e.id === event.id)).toEqual([]);
      const [claim] = await h.db.query<{ relay_owner_instance_id: string | null; relay_claimed_until: unknown }>(
        'SELECT relay_owner_instance_id, relay_claimed_until FROM outbox_events WHERE id = ?',
        event.id,
      );
      expect(claim).toEqual({ relay_owner_instance_id: null, relay_claimed_until: null });
    } finally {
      heartbeat.mockRestore();
    }

    // The next pass writes a heartbeat first (aliveNow), and delivers.
    await h.service.app.get(OutboxRelay).relayDue();
    expect(received.filter((e) => e.id === event.id)).toEqual([event]);
  });

  it('emits each event once when several relay passes run at the same time (as several instances do)', async () => {
    const payments = await Promise.all(Array.from({ length: 12 }, (_, i) => chargeOnNewKey(h, 20_000 + i)));
    const relay = h.service.app.get(OutboxRelay);

    await Promise.all([relay.relayDue(), relay.relayDue(), relay.relayDue()]);

    for (const payment of payments)
      expect(received.filter((e) => e.data.id === payment.id).map((e) => e.type)).toEqual(['payment.approved']);
  });
});

describe('the relay on its schedule', () => {
  it('delivers an event within a few intervals without being asked', async () => {
    const h = await startHarness({ EVENTS_RELAY_INTERVAL_MS: '100' });
    try {
      const emitted: Envelope[] = [];
      h.service.app.get(EventEmitter2).on('payment.approved', (event: Envelope) => void emitted.push(event));

      const payment = await chargeOnNewKey(h, 21_000);

      await eventually(
        () => emitted.filter((e) => e.data.id === payment.id),
        (found) => found.length === 1,
        5_000,
      );
    } finally {
      await h.close();
    }
  });
});

const brokerUp = brokerListening();
if (!brokerUp)
  console.warn(`SKIPPED: broker delivery tests (no RabbitMQ at ${new URL(BROKER_URL).host}; set TEST_BROKER_URL)`);

(brokerUp ? describe : describe.skip)('Domain events published to RabbitMQ (EVENTS_BROKER_URL)', () => {
  let tap: ExchangeTap;
  let link: TcpLink;
  let h: ServiceHarness;

  beforeAll(async () => {
    tap = await tapNewExchange();
    link = new TcpLink(BROKER_URL);
    await link.up();
    h = await startHarness({
      ...RELAY_DRIVEN_BY_TEST,
      EVENTS_BROKER_URL: link.url,
      EVENTS_BROKER_EXCHANGE: tap.exchange,
    });
  });
  afterAll(async () => {
    await h?.close();
    await link?.down();
    await tap?.close();
  });

  const messagesAbout = (id: string) => tap.bodies<Envelope>().filter((e) => e.data.id === id);

  it('publishes each event as a persistent message, routed by its type, with its id as messageId', async () => {
    const payment = await chargeOnNewKey(h, 30_000);
    const cancelled = await h.api<PaymentBody>('POST', `/v1/payments/${payment.id}/cancel`, {
      reason: '부분 환불',
      amount: 10_000,
    });
    expectStatus(cancelled, 200);

    await h.service.app.get(OutboxRelay).relayDue();

    const listed = await eventsOf(h, payment.id);
    await eventually(
      () => messagesAbout(payment.id),
      (found) => found.length === listed.length,
    );
    expect(messagesAbout(payment.id)).toEqual(listed);
    expect(listed.map((e) => e.type)).toEqual(['payment.approved', 'payment.partially_cancelled']);
    const [approved, partiallyCancelled] = tap.messages.filter((m) =>
      listed.some((e) => e.id === m.properties.messageId),
    );
    expect(approved.fields.routingKey).toBe('payment.approved');
    expect(approved.properties).toMatchObject({
      messageId: listed[0].id,
      deliveryMode: 2,
      contentType: 'application/json',
      type: 'payment.approved',
      headers: { 'tenant-id': 'default' },
    });
    expect(listed[0].tenantId).toBe('default');
    expect(partiallyCancelled.fields.routingKey).toBe('payment.partially_cancelled');
    expect(JSON.parse(partiallyCancelled.content.toString('utf8'))).toMatchObject({
      data: { cancelledAmount: 10_000, cancellableAmount: 20_000 },
    });
  });

  it("publishes a non-default tenant's event with that tenant in the tenant-id header and the body's tenantId", async () => {
    const tenantId = 'acme-events';
    const { secret } = await h.service.app.get(ApiKeysService).create(tenantId, 'broker delivery test');
    const payment = await givenApprovedPayment(apiCaller(h.service.url, secret), 32_000);

    await h.service.app.get(OutboxRelay).relayDue();

    const [message] = await eventually(
      () => tap.messages.filter((m) => (JSON.parse(m.content.toString('utf8')) as Envelope).data.id === payment.id),
      (found) => found.length === 1,
    );
    expect(message.fields.routingKey).toBe('payment.approved');
    expect(message.properties).toMatchObject({ type: 'payment.approved', headers: { 'tenant-id': tenantId } });
    expect(JSON.parse(message.content.toString('utf8'))).toMatchObject({
      tenantId,
      type: 'payment.approved',
      data: { id: payment.id, amount: 32_000 },
    });
    expect(messagesAbout(payment.id).map((e) => e.tenantId)).toEqual([tenantId]);
  });

  it('keeps events unpublished while the broker is unreachable and publishes them once it is back', async () => {
    await link.down();
    const payment = await chargeOnNewKey(h, 31_000);
    const [event] = await eventsOf(h, payment.id);

    await h.service.app.get(OutboxRelay).relayDue();
    expect((await published(h, event.id))[0].published_at).toBeNull();
    const scrape = await fetch(`${h.service.url}/metrics`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    const metrics = await scrape.text();
    expect(Number(/^paystory_outbox_unpublished_events (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    const degraded = await fetch(`${h.service.url}/health/ready`);
    expect(await degraded.json()).toMatchObject({ details: { broker: { status: 'degraded', state: 'failing' } } });

    await link.up();
    await sleep(250); // EVENTS_RELAY_RETRY_MS
    await h.service.app.get(OutboxRelay).relayDue();

    await eventually(
      () => messagesAbout(payment.id),
      (found) => found.length >= 1,
    );
    expect(messagesAbout(payment.id)[0]).toEqual(event);
    expect((await published(h, event.id))[0].published_at).not.toBeNull();
    const ready = await fetch(`${h.service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ details: { broker: { status: 'up', state: 'connected' } } });
  });
});
