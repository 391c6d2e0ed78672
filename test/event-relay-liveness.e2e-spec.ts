import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Payment } from '@app/payments-client';
import type { EventBody } from './support/api-bodies';
import { eventsOf } from './support/api-reads';
import { expectData } from './support/api-client';
import { chargeRequest, givenActiveBillingKey, givenApprovedPayment } from './support/billing-fixtures';
import { BROKER_URL, brokerListening, tapNewExchange, type ExchangeTap } from './support/broker';
import { PROCESS_TEST_TIMEOUT_MS, startDeployment, type Deployment } from './support/deployment';
import type { ServiceProcess } from './support/service-process';
import { TcpLink } from './support/tcp-link';
import { eventually, sleep } from './support/waiting';

const DEAD_AFTER_MS = 2_000;
/** Long on purpose: whatever frees the dead instance's events within seconds, it is not the lease. */
const RELAY_LEASE_MS = 60_000;

/** Both instances: their relays, often; a heartbeat every 200 ms, dead after 2 s without one. */
const RELAYING = {
  EVENTS_RELAY_ENABLED: 'true',
  EVENTS_RELAY_INTERVAL_MS: '100',
  EVENTS_RELAY_LEASE_MS: String(RELAY_LEASE_MS),
  INSTANCE_HEARTBEAT_MS: '200',
  INSTANCE_DEAD_AFTER_MS: String(DEAD_AFTER_MS),
} as const;

interface OutboxRow {
  relay_owner_instance_id: string | null;
  published_at: unknown;
}

const brokerUp = brokerListening();
if (!brokerUp)
  console.warn(`SKIPPED: relay liveness test (no RabbitMQ at ${new URL(BROKER_URL).host}; set TEST_BROKER_URL)`);

/**
 * Two service processes on one database, publishing to RabbitMQ. Instance A's link to the broker
 * hangs while A publishes an event: A holds the event's claim, alive, and instance B leaves it.
 * A is SIGKILLed: B publishes the event within seconds, because A's heartbeat stopped, not because
 * the relay's lease ran out.
 */
(brokerUp ? describe : describe.skip)(
  'A dead instance’s outbox claims are freed by its liveness, not by the lease',
  () => {
    let deployment: Deployment;
    let tap: ExchangeTap;
    let aLink: TcpLink;
    let a: ServiceProcess;

    beforeAll(async () => {
      deployment = await startDeployment();
      tap = await tapNewExchange();
      aLink = new TcpLink(BROKER_URL);
      await aLink.up();
      a = await deployment.startInstance({
        ...RELAYING,
        EVENTS_BROKER_URL: aLink.url,
        EVENTS_BROKER_EXCHANGE: tap.exchange,
      });
    }, PROCESS_TEST_TIMEOUT_MS);

    afterAll(async () => {
      await deployment?.close();
      await aLink?.down();
      await tap?.close();
    });

    const published = (eventId: string) => tap.bodies<EventBody<Payment>>().filter((e) => e.id === eventId);
    const outboxRow = async (eventId: string) =>
      (
        await deployment.db.query<OutboxRow>(
          'SELECT relay_owner_instance_id, published_at FROM outbox_events WHERE id = ?',
          eventId,
        )
      )[0];

    it(
      'keeps a live owner’s claim, takes a killed owner’s over within seconds, and publishes the event once',
      async () => {
        // A is connected to the broker: every event so far (its first charge's, the billing keys')
        // is published and marked, so A is not waiting on the link when it freezes.
        const first = await givenApprovedPayment(a, 41_000);
        const key = await givenActiveBillingKey(a);
        await eventually(
          () => deployment.db.query<OutboxRow>('SELECT relay_owner_instance_id, published_at FROM outbox_events'),
          (rows) => rows.every((row) => row.published_at !== null),
        );
        const [firstEvent] = await eventsOf(a, first.id);
        expect(published(firstEvent.id)).toHaveLength(1);

        // The broker stops answering A mid-conversation: A claims the charge's event and waits for
        // the broker's confirm that never comes.
        aLink.freeze();
        const second = expectData(
          await a.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 42_000 }) }),
          201,
        );
        const [event] = await eventsOf(a, second.id);
        const [{ id: aId }] = await deployment.db.query<{ id: string }>('SELECT id FROM service_instances');
        await eventually(
          () => outboxRow(event.id),
          (row) => row.relay_owner_instance_id === aId,
        );

        // B, with a working broker link, runs beside A for twice the dead-after period: A is alive, so B takes nothing.
        await deployment.startInstance({
          ...RELAYING,
          EVENTS_BROKER_URL: BROKER_URL,
          EVENTS_BROKER_EXCHANGE: tap.exchange,
        });
        await sleep(2 * DEAD_AFTER_MS);
        expect(published(event.id)).toEqual([]);
        expect(await outboxRow(event.id)).toEqual({ relay_owner_instance_id: aId, published_at: null });

        // A dies holding the claim: B publishes the event once A's heartbeat is stale, a minute before the lease ends.
        await a.kill();
        const killedAt = Date.now();
        await eventually(
          () => published(event.id),
          (found) => found.length === 1,
          RELAY_LEASE_MS / 2,
          50,
        );
        // About DEAD_AFTER_MS and a relay pass; the bound leaves a loaded machine room.
        expect(Date.now() - killedAt).toBeLessThan(DEAD_AFTER_MS + 8_000);
        expect(published(event.id)).toEqual([event]);
        const row = await outboxRow(event.id);
        expect(row.relay_owner_instance_id).toBeNull();
        expect(row.published_at).not.toBeNull();
      },
      3 * PROCESS_TEST_TIMEOUT_MS,
    );
  },
);
