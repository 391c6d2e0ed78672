import type { AuthSession } from '@app/payments-client';
import { DataSource } from 'typeorm';
import { AuthSessionEntity } from '../apps/payments/src/registration/entities/auth-session.entity';
import { expectData } from './support/api-client';
import { browserPost, openAuthSession, type OpenedAuthSession } from './support/auth-window';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';

/** A session with the §4.1 form a browser posts into the auth window. */
type Session = OpenedAuthSession;
/** What the auth window hands to the merchant page, which posts `data` to `returnUrl` (§4.2). */
type WindowResult = { resultCode: string; returnUrl: string; data: Record<string, string> };

const CARD_ENTRY = { cpCd: '04', cardNo: '5365100012345678', expiry: '1229', birth: '900101', cardPw: '12' };
const PHONE_ENTRY = { phone: '01098765432' };
/** The first issuance call waits this long at the gateway, so that the second post arrives while it is under way. */
const SLOW_ISSUANCE_MS = 500;

/**
 * A person's browser posting the auth window's result twice (a double click, a reload): one
 * issuance at the gateway, one key (and for a phone one payment) stored, success on both pages.
 * The auth window is driven over HTTP as a browser would: the §4.1 form, then the window's own form.
 */
describe('POST /v1/billing-keys/auth-return twice for one session', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({}, { sandbox: { slowMs: SLOW_ISSUANCE_MS } });
  });
  afterAll(async () => {
    await h?.close();
  });

  function openSession(customerId: string, payMethod: 'CARD' | 'PHONE', amount?: number): Promise<Session> {
    return openAuthSession(h, { customerId, payMethod, amount });
  }

  async function sessionNow(id: string): Promise<AuthSession> {
    return expectData(await h.client.GET('/v1/billing-keys/auth-sessions/{id}', { params: { path: { id } } }), 200);
  }

  async function keysOf(customerId: string) {
    return expectData(await h.client.GET('/v1/billing-keys', { params: { query: { customerId } } }), 200).data;
  }

  async function paymentsOf(customerId: string) {
    return expectData(await h.client.GET('/v1/payments', { params: { query: { customerId } } }), 200).data;
  }

  /** The §4.1 form into the window, the person's entry, and the window's result (§4.2). */
  async function completeAuthWindow(session: Session, entry: Record<string, string>): Promise<WindowResult> {
    const windowPage = await browserPost(session.actionUrl, session.fields);
    const orderKey = /name="orderKey" value="([0-9a-f]+)"/.exec(windowPage)?.[1] ?? '';
    const resultPage = await browserPost(`${session.actionUrl}/authorize`, { orderKey, ...entry });
    const delivered = /\ndeliver\((\{.*\})\);\n/.exec(resultPage)?.[1];
    if (!delivered) throw new Error('the auth window delivered no result');
    const result = JSON.parse(delivered) as WindowResult;
    expect(result.resultCode).toBe('0000');
    return result;
  }

  const statusOf = (page: string) => /data-status="(\w+)"/.exec(page)?.[1];

  async function completionsOf(tid: string) {
    return (await h.gateway.requests('completeAuthIssuance')).filter((r) => r.fields.tid === tid);
  }

  it('a card: issued once, one key stored, both pages show the registered card', async () => {
    const session = await openSession('double-card', 'CARD');
    const result = await completeAuthWindow(session, CARD_ENTRY);
    await h.gateway.fault('completeAuthIssuance', 'slow', { tid: result.data.tid });

    const pages = await Promise.all([
      browserPost(result.returnUrl, result.data),
      browserPost(result.returnUrl, result.data),
    ]);

    expect(pages.map(statusOf)).toEqual(['success', 'success']);
    for (const page of pages) expect(page).toContain('536510******5678');
    expect(await completionsOf(result.data.tid)).toHaveLength(1);
    expect((await h.gateway.billingKeys()).filter((k) => k.ordNo === session.fields.ordNo)).toHaveLength(1);
    const keys = await keysOf('double-card');
    expect(keys).toEqual([expect.objectContaining({ status: 'ACTIVE', cardNoMasked: '536510******5678' })]);
    expect(await sessionNow(session.id)).toMatchObject({ status: 'COMPLETED', billingKeyId: keys[0].id });
  });

  it('a phone: issued and charged once, one key and one payment stored, both pages show the amount charged', async () => {
    const session = await openSession('double-phone', 'PHONE', 9_900);
    const result = await completeAuthWindow(session, PHONE_ENTRY);
    await h.gateway.fault('completeAuthIssuance', 'slow', { tid: result.data.tid });

    const pages = await Promise.all([
      browserPost(result.returnUrl, result.data),
      browserPost(result.returnUrl, result.data),
    ]);

    expect(pages.map(statusOf)).toEqual(['success', 'success']);
    for (const page of pages) expect(page).toContain('9,900');
    expect(await completionsOf(result.data.tid)).toHaveLength(1);
    expect((await h.gateway.billingKeys()).filter((k) => k.ordNo === session.fields.ordNo)).toHaveLength(1);
    const approvals = await h.gateway.approvalsFor(session.fields.ordNo);
    expect(approvals).toEqual([expect.objectContaining({ amount: 9_900 })]);
    const keys = await keysOf('double-phone');
    expect(keys).toEqual([expect.objectContaining({ status: 'ACTIVE' })]);
    expect(await paymentsOf('double-phone')).toEqual([
      expect.objectContaining({
        status: 'APPROVED',
        amount: 9_900,
        tid: approvals[0].tid,
        billingKeyId: keys[0].id,
      }),
    ]);
  });

  it('a session whose claimant died mid-issuance: the next post shows "being confirmed" and leaves the phone order to the resolver', async () => {
    const session = await openSession('dead-claimant', 'PHONE', 9_900);
    const result = await completeAuthWindow(session, PHONE_ENTRY);
    // As a process killed after claiming the session leaves it: COMPLETING since longer than a gateway call.
    const claimedLongAgo = new Date(Date.now() - h.service.config.paystory.timeoutMs - 60_000);
    await h.service.app
      .get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE))
      .getRepository(AuthSessionEntity)
      .update({ id: session.id }, { status: 'COMPLETING', updatedAt: claimedLongAgo });

    const page = await browserPost(result.returnUrl, result.data);

    expect(statusOf(page)).toBe('pending');
    expect(await completionsOf(result.data.tid)).toHaveLength(0);
    expect((await sessionNow(session.id)).status).toBe('UNKNOWN');
    expect(await paymentsOf('dead-claimant')).toEqual([
      expect.objectContaining({ status: 'UNKNOWN', amount: 9_900, tid: null }),
    ]);
  });
});
