import { PaystoryRequestInvalidError } from '../errors/paystory-errors';
import { ENDPOINTS, EndpointKey } from './endpoint-catalogue';
import { assertRequestValid, findRequestProblems } from './request-checker';

/** A charge (§5) the gateway would accept; tests change one field at a time. */
function givenChargeRequest(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    bid: 'tstmerch1mcb240105093000123456',
    PayMethod: 'CARD',
    trxCd: '0',
    mid: 'tstmerch1m',
    ordNo: 'order-20240105-0001',
    goodsNm: '월간 구독',
    goodsAmt: '15000',
    quotaMon: '00',
    ordNm: '홍길동',
    ordTel: '01012345678',
    noIntFlg: '0',
    pointFlg: '0',
    ediDate: '20240105153012',
    encData: '1a811529c30b6249dc570f0799abeb636406a92e7726e68b89aa1ae35d7b85a4',
    ...overrides,
  };
}

/** A transaction query (§8), whose `mid` is "10 Fixed". */
function givenQueryRequest(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    mid: 'tstmerch1m',
    tid: 'tstmerch1m01012401051530120001',
    hashStr: 'c3cff8b6995cc19e79537d67a27b89f24c5a84dcadedfca7241290550f001915',
    ediDate: '20240105153500',
    ...overrides,
  };
}

function requestFieldNames(endpoint: EndpointKey): string[] {
  return ENDPOINTS[endpoint].request.map((f) => f.name);
}

describe(findRequestProblems.name, () => {
  it('finds nothing wrong with a complete charge', () => {
    expect(findRequestProblems('charge', givenChargeRequest(), 'UTF-8')).toEqual([]);
    expect(findRequestProblems('charge', givenChargeRequest(), 'EUC-KR')).toEqual([]);
  });

  describe('sizes are bytes in the request charset (NOTES item 9)', () => {
    it('fits 33 Hangul syllables in goodsNm (100 bytes) in UTF-8, 99 bytes', () => {
      expect(findRequestProblems('charge', givenChargeRequest({ goodsNm: '가'.repeat(33) }), 'UTF-8')).toEqual([]);
    });

    it('refuses 34 Hangul syllables in goodsNm in UTF-8, 102 bytes, naming the field and the sizes', () => {
      const problems = findRequestProblems('charge', givenChargeRequest({ goodsNm: '가'.repeat(34) }), 'UTF-8');
      expect(problems).toEqual([expect.objectContaining({ field: 'goodsNm', reason: 'too_long' })]);
      expect(problems[0].message).toContain('goodsNm');
      expect(problems[0].message).toContain('102 bytes');
      expect(problems[0].message).toContain('100');
    });

    it('fits 50 Hangul syllables in goodsNm in EUC-KR, 100 bytes', () => {
      expect(findRequestProblems('charge', givenChargeRequest({ goodsNm: '가'.repeat(50) }), 'EUC-KR')).toEqual([]);
    });

    it('refuses 51 Hangul syllables in goodsNm in EUC-KR, 102 bytes', () => {
      expect(findRequestProblems('charge', givenChargeRequest({ goodsNm: '가'.repeat(51) }), 'EUC-KR')).toEqual([
        expect.objectContaining({ field: 'goodsNm', reason: 'too_long' }),
      ]);
    });

    it('judges the same value by the charset it will be sent in', () => {
      const fortySyllables = givenChargeRequest({ goodsNm: '가'.repeat(40) });
      expect(findRequestProblems('charge', fortySyllables, 'EUC-KR')).toEqual([]);
      expect(findRequestProblems('charge', fortySyllables, 'UTF-8')).toEqual([
        expect.objectContaining({ field: 'goodsNm', reason: 'too_long' }),
      ]);
    });

    it('refuses a character EUC-KR cannot carry, but lets UTF-8 carry it', () => {
      const withEmoji = givenChargeRequest({ goodsNm: '구독 🎁' });
      expect(findRequestProblems('charge', withEmoji, 'EUC-KR')).toEqual([
        expect.objectContaining({ field: 'goodsNm', reason: 'not_encodable' }),
      ]);
      expect(findRequestProblems('charge', withEmoji, 'UTF-8')).toEqual([]);
    });
  });

  it('names a required field that is missing or empty', () => {
    const { ordNm: _dropped, ...withoutName } = givenChargeRequest();
    expect(findRequestProblems('charge', withoutName, 'UTF-8')).toEqual([
      expect.objectContaining({ field: 'ordNm', reason: 'missing' }),
    ]);
    expect(findRequestProblems('charge', givenChargeRequest({ encData: '' }), 'UTF-8')).toEqual([
      expect.objectContaining({ field: 'encData', reason: 'missing' }),
    ]);
  });

  it('lets an optional field be left out', () => {
    expect(
      findRequestProblems('charge', givenChargeRequest({ ordEmail: undefined, notiUrl: undefined }), 'UTF-8'),
    ).toEqual([]);
  });

  it.each([
    ['9 bytes', 'tstmerch1'],
    ['11 bytes', 'tstmerch1mx'],
  ])('refuses a fixed-size mid of %s where the guide says "10 Fixed"', (_label, mid) => {
    expect(findRequestProblems('query', givenQueryRequest({ mid }), 'UTF-8')).toEqual([
      expect.objectContaining({ field: 'mid', reason: 'wrong_length' }),
    ]);
  });

  it('accepts a query by ordNo with no tid (§8.3)', () => {
    expect(
      findRequestProblems('query', givenQueryRequest({ tid: undefined, ordNo: 'order-20240105-0001' }), 'UTF-8'),
    ).toEqual([]);
  });

  it.each(['1000.5', '-1', '1e3', ' 1000', '1,000', '01000'])(
    'refuses the amount "%s": whole KRW digits only',
    (goodsAmt) => {
      expect(findRequestProblems('charge', givenChargeRequest({ goodsAmt }), 'UTF-8')).toEqual([
        expect.objectContaining({ field: 'goodsAmt', reason: 'not_integer_amount' }),
      ]);
    },
  );

  it.each(['0', '1000', '999999999999999'])('accepts the amount "%s"', (goodsAmt) => {
    expect(findRequestProblems('charge', givenChargeRequest({ goodsAmt }), 'UTF-8')).toEqual([]);
  });

  it('refuses a malformed ediDate', () => {
    expect(findRequestProblems('charge', givenChargeRequest({ ediDate: '2024010515301' }), 'UTF-8')).toEqual([
      expect.objectContaining({ field: 'ediDate', reason: 'not_timestamp' }),
    ]);
  });

  it('refuses a field name the endpoint does not have', () => {
    expect(findRequestProblems('charge', givenChargeRequest({ cardNumber: '4111111111111111' }), 'UTF-8')).toEqual([
      expect.objectContaining({ field: 'cardNumber', reason: 'unknown_field' }),
    ]);
  });

  describe('field-name case (NOTES items 7 and 19)', () => {
    it('spells PayMethod with a capital P for the charge (§5) and the card API issuance (§14), as the catalogue does', () => {
      expect(requestFieldNames('charge')).toContain('PayMethod');
      expect(requestFieldNames('charge')).not.toContain('payMethod');
      expect(requestFieldNames('registerBillingKey')).toContain('PayMethod');
      expect(requestFieldNames('registerBillingKey')).not.toContain('payMethod');
    });

    it('spells payMethod in lower case for the cancel (§7)', () => {
      expect(requestFieldNames('cancel')).toContain('payMethod');
      expect(requestFieldNames('cancel')).not.toContain('PayMethod');
    });

    it('refuses the lower-case spelling on a charge as an unknown field and reports the real one missing', () => {
      const { PayMethod: _capital, ...rest } = givenChargeRequest();
      const problems = findRequestProblems('charge', { ...rest, payMethod: 'CARD' }, 'UTF-8');
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'payMethod', reason: 'unknown_field' }),
          expect.objectContaining({ field: 'PayMethod', reason: 'missing' }),
        ]),
      );
      expect(problems).toHaveLength(2);
    });

    it('refuses the capitalised spelling on a cancel', () => {
      const cancel = {
        PayMethod: 'CARD',
        tid: 'tstmerch1m01012401051530120001',
        mid: 'tstmerch1m',
        canAmt: '5000',
        canMsg: '고객 요청',
        partCanFlg: '1',
        encData: '153287b6de64f173bb79730881a7f88d04a464fc5e9a8c69268bfec76cee319f',
        ediDate: '20240106000405',
      };
      expect(findRequestProblems('cancel', cancel, 'UTF-8')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'PayMethod', reason: 'unknown_field' }),
          expect.objectContaining({ field: 'payMethod', reason: 'missing' }),
        ]),
      );
    });
  });
});

describe(assertRequestValid.name, () => {
  it('passes a valid request silently', () => {
    expect(() => assertRequestValid('charge', givenChargeRequest(), 'UTF-8')).not.toThrow();
  });

  it('throws one error naming every bad field', () => {
    let thrown: unknown;
    try {
      assertRequestValid('charge', givenChargeRequest({ goodsAmt: '1000.5', goodsNm: '가'.repeat(34) }), 'UTF-8');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PaystoryRequestInvalidError);
    const error = thrown as PaystoryRequestInvalidError;
    expect(error.endpoint).toBe('charge');
    expect(error.problems.map((p) => p.field).sort()).toEqual(['goodsAmt', 'goodsNm']);
    expect(error.message).toContain('goodsAmt');
    expect(error.message).toContain('goodsNm');
  });
});
