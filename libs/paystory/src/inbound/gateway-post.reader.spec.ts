import { describe, expect, it } from '@jest/globals';
import { encodeForm } from '../charset/charset';
import { readGatewayPost } from './gateway-post.reader';

const FORM = 'application/x-www-form-urlencoded';
const fields = { tid: 'sandbox01m01012604011200000001', ordNm: '홍길동', goodsNm: '정기 구독 & 추가=1' };

describe(readGatewayPost.name, () => {
  it.each(['UTF-8', 'EUC-KR'] as const)('reads a %s form in the charset its Content-Type names', (charset) => {
    const raw = Buffer.from(encodeForm(fields, charset), 'latin1');

    expect(
      readGatewayPost(raw, `${FORM}; charset=${charset.toLowerCase()}`, charset === 'UTF-8' ? 'EUC-KR' : 'UTF-8'),
    ).toEqual(fields);
  });

  it('reads a form without a charset in the fallback charset', () => {
    const raw = Buffer.from(encodeForm(fields, 'EUC-KR'), 'latin1');

    expect(readGatewayPost(raw, FORM, 'EUC-KR')).toEqual(fields);
  });

  it('decodes again in the charset the form names in its own charSet field', () => {
    const form = { ...fields, charSet: 'EUC-KR' };
    const raw = Buffer.from(encodeForm(form, 'EUC-KR'), 'latin1');

    expect(readGatewayPost(raw, `${FORM}; charset=utf-8`, 'UTF-8')).toEqual(form);
  });

  it('reads a JSON object, its values as strings, with or without a JSON Content-Type', () => {
    const raw = Buffer.from(JSON.stringify({ resultCd: '3001', goodsAmt: 5000, ordNm: '홍길동', cardNo: null }));
    const expected = { resultCd: '3001', goodsAmt: '5000', ordNm: '홍길동', cardNo: '' };

    expect(readGatewayPost(raw, 'application/json', 'UTF-8')).toEqual(expected);
    expect(readGatewayPost(raw, undefined, 'UTF-8')).toEqual(expected);
  });

  it.each([
    ['malformed JSON', '{"resultCd":'],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
  ])('returns undefined for %s', (_, body) => {
    expect(readGatewayPost(Buffer.from(body), 'application/json', 'UTF-8')).toBeUndefined();
  });

  it('reads an empty body as an empty form', () => {
    expect(readGatewayPost(Buffer.alloc(0), undefined, 'UTF-8')).toEqual({});
  });
});
