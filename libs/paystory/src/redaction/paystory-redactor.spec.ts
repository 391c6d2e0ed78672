import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import axios from 'axios';
import { encodeForm } from '../charset/charset';
import { CARD_DATA_FIELDS, CREDENTIAL_FIELDS } from '../endpoints/endpoint-catalogue';
import { PaystoryRedactor, REDACTED } from './paystory-redactor';

const merchantKey = 'Sp3cOnly+MadeUpKey/ForUnitTests==';
const billingKey = 'tstmerch1mcb240105093000123456';
const cardNumber = '4111111111111111';

function givenRedactor(): PaystoryRedactor {
  return new PaystoryRedactor([merchantKey]);
}

describe(PaystoryRedactor.name, () => {
  describe('fields', () => {
    it.each([...CARD_DATA_FIELDS, ...CREDENTIAL_FIELDS])('replaces the gateway field %s', (name) => {
      expect(givenRedactor().fields({ [name]: 'secret-value', ordNo: 'order-1' })).toEqual({
        [name]: REDACTED,
        ordNo: 'order-1',
      });
    });

    it.each([
      'cardNo',
      'cardNumber',
      'expiry',
      'birthOrBusinessNo',
      'cardPassword2',
      'cardPassword',
      'billingKey',
      'merchantKey',
      'authorization',
      'apiKey',
    ])('replaces the service field %s', (name) => {
      expect(givenRedactor().fields({ [name]: 'secret-value' })).toEqual({ [name]: REDACTED });
    });

    it('matches field names whatever their case', () => {
      expect(
        givenRedactor().fields({ CARDNO: cardNumber, Authorization: 'Bearer abc', ENCDATA: 'ff', BID: billingKey }),
      ).toEqual({
        CARDNO: REDACTED,
        Authorization: REDACTED,
        ENCDATA: REDACTED,
        BID: REDACTED,
      });
    });

    it('redacts at any depth, in objects and arrays, and leaves the original untouched', () => {
      const original = {
        request: {
          mid: 'tstmerch1m',
          goodsAmt: '15000',
          encData: 'abc',
          card: { cardNo: cardNumber, expireYymm: '2812' },
        },
        attempts: [{ bid: billingKey, resultCd: '3001' }, 'plain'],
      };
      const before = structuredClone(original);
      expect(givenRedactor().fields(original)).toEqual({
        request: {
          mid: 'tstmerch1m',
          goodsAmt: '15000',
          encData: REDACTED,
          card: { cardNo: REDACTED, expireYymm: REDACTED },
        },
        attempts: [{ bid: REDACTED, resultCd: '3001' }, 'plain'],
      });
      expect(original).toEqual(before);
    });

    it('scrubs secrets and card numbers out of the values of ordinary fields', () => {
      const redacted = givenRedactor().fields({ note: `key ${merchantKey}`, memo: `card ${cardNumber}` });
      expect(redacted).toEqual({ note: `key ${REDACTED}`, memo: 'card ************1111' });
    });

    it('keeps numbers, booleans, dates, null and absent values as they are', () => {
      const when = new Date('2024-01-05T00:30:00Z');
      expect(givenRedactor().fields({ amount: 15000, ok: true, when, none: null, cardNo: undefined })).toEqual({
        amount: 15000,
        ok: true,
        when,
        none: null,
        cardNo: undefined,
      });
    });

    it('survives a circular structure and a shared one', () => {
      const shared = { goodsAmt: '1000' };
      const circular: Record<string, unknown> = { first: shared, second: shared };
      circular.self = circular;
      expect(givenRedactor().fields(circular)).toEqual({
        first: { goodsAmt: '1000' },
        second: { goodsAmt: '1000' },
        self: '[Circular]',
      });
    });

    it('describes a nested error without its secrets', () => {
      const redacted = givenRedactor().fields({ failure: new Error(`bad key ${merchantKey}`) });
      expect(redacted).toEqual({ failure: `Error: bad key ${REDACTED}` });
    });
  });

  describe('text', () => {
    it('removes every literal secret, also in its URL-encoded spellings', () => {
      const redactor = givenRedactor();
      const body = encodeForm({ mid: 'tstmerch1m', merchantKey }, 'UTF-8');
      expect(body).not.toContain(merchantKey);
      const scrubbed = redactor.text(`raw ${merchantKey} form ${body} uri ${encodeURIComponent(merchantKey)}`);
      expect(scrubbed).toBe(`raw ${REDACTED} form mid=tstmerch1m&merchantKey=${REDACTED} uri ${REDACTED}`);
    });

    it('removes a secret in both URL spellings where they differ (space, parentheses)', () => {
      const secret = 'pass word+(1)';
      const redactor = new PaystoryRedactor([secret]);
      const uri = encodeURIComponent(secret);
      const form = encodeForm({ s: secret }, 'UTF-8').slice(2);
      expect(uri).not.toBe(form);
      expect(redactor.text(`${uri} | ${form}`)).toBe(`${REDACTED} | ${REDACTED}`);
    });

    it('scrubs secrets added later, without changing the original redactor', () => {
      const base = givenRedactor();
      const perRequest = base.withSecrets([billingKey]);
      const text = `charge with ${billingKey} signed by ${merchantKey}`;
      expect(perRequest.text(text)).toBe(`charge with ${REDACTED} signed by ${REDACTED}`);
      expect(base.text(text)).toContain('cb24010509300');
    });

    it('removes a longer secret whole even when a shorter one is part of it', () => {
      const redactor = new PaystoryRedactor(['abc', 'abcdefgh']);
      expect(redactor.text('x abcdefgh y abc')).toBe(`x ${REDACTED} y ${REDACTED}`);
    });

    it('ignores empty secrets instead of scrubbing everything', () => {
      expect(new PaystoryRedactor(['']).text('plain text')).toBe('plain text');
    });

    it.each([
      ['4111111111111111', '************1111'],
      ['4111 1111 1111 1111', '**** **** **** 1111'],
      ['4111-1111-1111-1111', '****-****-****-1111'],
      ['378282246310005', '***********0005'],
      ['6011000990139424123', '***************4123'],
      ['4222222222222', '*********2222'],
    ])('masks the card number %s to keep only its last four digits', (pan, masked) => {
      expect(givenRedactor().text(`card=${pan};`)).toBe(`card=${masked};`);
    });

    it.each([
      ['a short number', 'ordTel 01012345678'],
      ['an ediDate', 'ediDate 20240105153012'],
      ['a tid, whose digits are glued to the mid', 'tid tstmerch1m01012401051530120001'],
      ['an amount', 'goodsAmt 15000'],
    ])('leaves %s readable', (_label, text) => {
      expect(givenRedactor().text(text)).toBe(text);
    });

    it('leaves a run of 20 digits alone: too long for a card number', () => {
      expect(givenRedactor().text('ref 12345678901234567890')).toBe('ref 12345678901234567890');
    });
  });

  describe('maskCardNumber', () => {
    it('keeps the last four digits and the separators', () => {
      expect(PaystoryRedactor.maskCardNumber('5555 5555 5555 4444')).toBe('**** **** **** 4444');
    });
  });

  describe('error', () => {
    let server: Server;
    let baseURL: string;

    beforeAll(async () => {
      server = createServer((req, res) => {
        // Echo what was sent, as a careless gateway error page might.
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
        req.on('end', () => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`failed for ${body} ${req.url}`);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    async function caught(promise: Promise<unknown>): Promise<unknown> {
      try {
        await promise;
      } catch (err) {
        return err;
      }
      throw new Error('expected the request to fail');
    }

    it('describes an axios error from an HTTP 500 by method, path and status only', async () => {
      const body = encodeForm({ bid: billingKey, cardNo: cardNumber, encData: 'deadbeef', merchantKey }, 'UTF-8');
      const err = await caught(
        axios.post('/payment.doBill?hashStr=cafebabe', body, {
          baseURL,
          headers: { authorization: `Basic ${merchantKey}`, 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
      const line = givenRedactor().error(err);
      expect(line).toBe(
        `AxiosError ERR_BAD_RESPONSE on POST ${baseURL}/payment.doBill (HTTP 500): Request failed with status code 500`,
      );
    });

    it('describes a refused connection without the request it carried', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));

      const err = await caught(
        axios.get(`http://127.0.0.1:${port}/transaction`, {
          params: { mid: 'tstmerch1m', hashStr: 'cafebabe' },
          data: { cardNo: cardNumber },
        }),
      );
      const line = givenRedactor().error(err);
      expect(line).toMatch(new RegExp(`^AxiosError ECONNREFUSED on GET http://127\\.0\\.0\\.1:${port}/transaction: `));
      expect(line).not.toContain('cafebabe');
      expect(line).not.toContain(cardNumber);
    });

    it('hides userinfo in a URL', async () => {
      const err = await caught(axios.get(`${baseURL.replace('http://', 'http://user:pw@')}/x?tid=1`));
      const line = givenRedactor().error(err);
      expect(line).toContain(`GET ${baseURL}/x (HTTP 500)`);
      expect(line).not.toContain('pw');
    });

    it('describes an ordinary error on one line with secrets and card numbers scrubbed, causes included', () => {
      const cause = new Error(`signing with ${merchantKey} failed`);
      const err = new TypeError(`bad card\n${cardNumber}`, { cause });
      expect(givenRedactor().error(err)).toBe(
        `TypeError: bad card ************1111 (caused by Error: signing with ${REDACTED} failed)`,
      );
    });

    it('describes a thrown string and a thrown object safely', () => {
      const redactor = givenRedactor();
      expect(redactor.error(`key ${merchantKey}`)).toBe(`key ${REDACTED}`);
      expect(redactor.error({ cardNo: cardNumber, resultCd: '3002' })).toBe(
        `Non-error thrown: {"cardNo":"${REDACTED}","resultCd":"3002"}`,
      );
      expect(redactor.error(42)).toBe('Non-error thrown: 42');
      expect(redactor.error(undefined)).toBe('Non-error thrown: undefined');
    });

    it('caps a long description', () => {
      const line = givenRedactor().error(new Error('x'.repeat(2000)));
      expect(line.length).toBeLessThanOrEqual(501);
      expect(line).not.toMatch(/\n/);
    });
  });
});
