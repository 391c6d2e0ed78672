import { byteLength } from '@app/paystory/charset/charset';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import { SANDBOX_MERCHANTS } from '../config/sandbox-merchants';
import type { ReceivedRequest } from '../protocol/request-log.service';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';
import type { StoredBillingKey } from './billing-key.store';

describe('billing keys (/payment.registBill, /payment.deleteBill)', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false });
    client = new GatewayTestClient(sandbox.baseUrl);
  });
  afterAll(() => sandbox.close());

  describe('registration (§14)', () => {
    it('issues a unique 30-byte billing key with the masked card and the card company', async () => {
      const first = await client.register({ cardNo: '5365100012341234', cpCd: '04' });
      const second = await client.register({ cardNo: '5365100012341234', cpCd: '04' });

      expect(first).toMatchObject({
        resultCd: 'F011',
        resultMsg: '빌키 발급 성공',
        mid: 'sandbox01m',
        payMethod: 'CARD',
        appCardCd: '04',
        fnNm: '삼성',
        cardNo: '536510******1234',
      });
      expect(String(first.bid)).toMatch(/^sandbox01mcb00\d{16}$/);
      expect(byteLength(String(first.bid), 'UTF-8')).toBe(30);
      expect(second.bid).not.toBe(first.bid);
      expect(String(first.appDtm)).toMatch(/^\d{14}$/);
    });

    it('refuses a wrong hash with 9998 and issues nothing', async () => {
      const before = (await client.inspect<StoredBillingKey[]>('billing-keys')).length;
      const answer = await client.register({
        encData: client.signer.issuance(
          { ...SANDBOX_MERCHANTS.card, merchantKey: 'another-key' },
          '20250101000000',
          '0',
        ),
      });

      expect(answer.resultCd).toBe('9998');
      expect(answer.resultMsg).toContain('encData');
      expect(answer.bid).toBeUndefined();
      expect(await client.inspect<StoredBillingKey[]>('billing-keys')).toHaveLength(before);
    });

    it('names a missing required field', async () => {
      const fields = client.registrationFields();
      delete fields.ordTel;
      const answer = await client.post(ENDPOINTS.registerBillingKey.path, fields);

      expect(answer.resultCd).toBe('9998');
      expect(answer.resultMsg).toContain('ordTel is required');
    });

    it('names a field the endpoint does not have, such as payMethod spelled in lower case (NOTES item 19)', async () => {
      const { PayMethod, ...rest } = client.registrationFields();
      const answer = await client.post(ENDPOINTS.registerBillingKey.path, { ...rest, payMethod: PayMethod });

      expect(answer.resultCd).toBe('9998');
      expect(answer.resultMsg).toContain('payMethod is not a field');
      expect(answer.resultMsg).toContain('PayMethod is required');
    });

    it('refuses an unknown merchant id', async () => {
      const answer = await client.register({ mid: 'nosuch001m' });

      expect(answer).toMatchObject({ resultCd: '9998', mid: 'nosuch001m' });
      expect(answer.resultMsg).toContain('mid');
    });

    it('refuses a goodsAmt other than "0" at issuance', async () => {
      const ediDate = client.signer.ediDate();
      const answer = await client.register({
        goodsAmt: '1000',
        ediDate,
        encData: client.signer.issuance(client.merchant, ediDate, '1000'),
      });

      expect(answer.resultCd).toBe('9998');
      expect(answer.resultMsg).toContain('goodsAmt');
    });

    it('reads an EUC-KR body with Hangul and counts its sizes in EUC-KR bytes', async () => {
      // 40 syllables: 80 bytes in EUC-KR (fits 100), 120 in UTF-8 (does not).
      const goodsNm = '정기구독'.repeat(10);
      const ordNo = client.orderNo('euckr');
      const euckr = await client.register({ goodsNm, ordNm: '홍길동', ordNo }, 'EUC-KR');
      const utf8 = await client.register({ goodsNm, ordNm: '홍길동' }, 'UTF-8');

      expect(euckr).toMatchObject({ resultCd: 'F011', ordNm: '홍*동' });
      expect(utf8.resultCd).toBe('9998');
      expect(utf8.resultMsg).toContain('goodsNm is 120 bytes in UTF-8');
      const received = (await client.inspect<ReceivedRequest[]>('requests?endpoint=registerBillingKey')).find(
        (r) => r.fields.ordNo === ordNo,
      );
      expect(received).toMatchObject({ charset: 'EUC-KR', fields: { goodsNm, ordNm: '홍길동' } });
    });

    it('refuses registration-failure cards with the code in their last four digits', async () => {
      expect(await client.register({ cardNo: '4000009900000005' })).toMatchObject({
        resultCd: 'F005',
        resultMsg: '카드빌링등록 실패',
      });
      expect(await client.register({ cardNo: '4000009900003021' })).toMatchObject({
        resultCd: '3021',
        resultMsg: '유효기간 오류',
      });
    });

    it('refuses an expiry month that does not exist and an unknown card company', async () => {
      expect((await client.register({ expireYymm: '3013' })).resultCd).toBe('3021');
      const unknownCompany = await client.register({ cpCd: '99' });
      expect(unknownCompany.resultCd).toBe('9998');
      expect(unknownCompany.resultMsg).toContain('cpCd');
    });

    it('keeps no card data: inspection shows only masked numbers and redacted secrets', async () => {
      await client.register({ cardNo: '9410123456789012', expireYymm: '2907', ordAuthNo: '851231', cardPw: '77' });
      const everything = JSON.stringify([
        await client.inspect('requests'),
        await client.inspect('billing-keys'),
        await client.inspect('transactions'),
      ]);

      expect(everything).toContain('941012******9012');
      expect(everything).not.toContain('9410123456789012');
      expect(everything).not.toContain('851231');
      expect(everything).not.toMatch(/"expireYymm":"2907"|"cardPw":"77"/);
      expect(everything).not.toContain(SANDBOX_MERCHANTS.card.merchantKey);
    });
  });

  describe('deletion (§6)', () => {
    it('deletes a key with F012, after which it is dead for charging and deleting (F002)', async () => {
      const bid = await client.billingKey();

      expect(await client.deleteKey(bid)).toMatchObject({
        resultCd: 'F012',
        resultMsg: '빌키 삭제 성공',
        mid: 'sandbox01m',
        bid,
      });
      expect(await client.deleteKey(bid)).toMatchObject({ resultCd: 'F002', bid });
      expect(await client.charge(bid, 5_000)).toMatchObject({
        resultCd: 'F002',
        resultMsg: '빌키 미존재 또는 삭제된 빌키',
      });
    });

    it('refuses a deletion signed over another bid', async () => {
      const bid = await client.billingKey();
      const ediDate = client.signer.ediDate();
      const otherBid = `${bid.slice(0, -1)}${bid.endsWith('0') ? '1' : '0'}`;
      const answer = await client.deleteKey(bid, {
        ediDate,
        encData: client.signer.deleteBillingKey(client.merchant, ediDate, otherBid),
      });

      expect(answer.resultCd).toBe('9998');
      expect((await client.charge(bid, 5_000)).resultCd).toBe('3001');
    });

    it("does not let another merchant delete or charge a merchant's key", async () => {
      const bid = await client.billingKey();
      const phoneMerchant = new GatewayTestClient(sandbox.baseUrl, SANDBOX_MERCHANTS.phone);

      expect((await phoneMerchant.deleteKey(bid)).resultCd).toBe('F002');
      expect((await phoneMerchant.charge(bid, 5_000)).resultCd).toBe('F002');
      expect((await client.charge(bid, 5_000)).resultCd).toBe('3001');
    });
  });
});
