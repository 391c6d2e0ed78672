import { EndpointKey } from '../../endpoints/endpoint-catalogue';
import { GatewayAnswer } from '../../http/gateway-answer';
import { outcomeOf } from './outcome.mapper';

function answer(endpoint: EndpointKey, fields: Record<string, unknown>): GatewayAnswer {
  return { endpoint, httpStatus: 200, fields, body: JSON.stringify(fields), charset: 'UTF-8' };
}

const tidOf = (a: GatewayAnswer) => a.fields.tid;

describe(outcomeOf.name, () => {
  it.each([
    ['charge', '3001'],
    ['charge', 'A000'],
    ['cancel', '2001'],
    ['completeAuthIssuance', 'F011'],
    ['query', '0000'],
  ] as const)('reads %s answered %s as the success it asked for', (endpoint, code) => {
    expect(outcomeOf(answer(endpoint, { resultCd: code, resultMsg: 'OK', tid: 't-1' }), tidOf)).toEqual({
      ok: true,
      code,
      message: 'OK',
      data: 't-1',
      raw: { resultCd: code, resultMsg: 'OK', tid: 't-1' },
    });
  });

  it.each([
    ['charge', 'F000'],
    ['charge', '0000'],
    ['charge', '2001'],
    ['cancel', 'A000'],
    ['cancel', '3001'],
    ['deleteBillingKey', 'F011'],
  ] as const)('reads %s answered %s (another call’s success) as unknown, never as a decline', (endpoint, code) => {
    const outcome = outcomeOf(answer(endpoint, { resultCd: code, resultMsg: '정상처리' }), tidOf);

    expect(outcome).toMatchObject({ ok: false, code, message: '정상처리', category: 'unknown', hardDecline: false });
  });

  it('keeps the catalogue’s reading of a refusal: 9998 is our request’s fault, not worth resending', () => {
    expect(
      outcomeOf(answer('charge', { resultCd: '9998', resultMsg: 'encData: 해시 검증 실패' }), tidOf),
    ).toMatchObject({
      ok: false,
      category: 'merchant_error',
      message: 'encData: 해시 검증 실패',
    });
    expect(outcomeOf(answer('charge', { resultCd: '3003' }), tidOf)).toMatchObject({
      ok: false,
      category: 'declined',
      hardDecline: true,
      message: '분실/도난카드',
    });
  });

  it('reads an answer without a result code as unknown', () => {
    expect(outcomeOf(answer('cancel', { resultCd: '' }), tidOf)).toMatchObject({
      ok: false,
      code: '',
      category: 'unknown',
    });
  });
});
