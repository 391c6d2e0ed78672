import { encode } from '../charset/charset';
import { readGatewayAnswer } from './gateway-answer.reader';

const json = (text: string, charset: 'UTF-8' | 'EUC-KR' = 'UTF-8') => encode(text, charset);

describe(readGatewayAnswer.name, () => {
  it('decodes the body in the charset the response names, keeping every field', () => {
    const bytes = json('{"resultCd":"3001","resultMsg":"카드 결제 성공","newField":{"a":1}}', 'EUC-KR');

    const answer = readGatewayAnswer(
      'charge',
      { status: 200, contentType: 'application/json; charset=EUC-KR', bytes },
      'UTF-8',
    );

    expect(answer).toMatchObject({
      charset: 'EUC-KR',
      fields: { resultCd: '3001', resultMsg: '카드 결제 성공', newField: { a: 1 } },
    });
  });

  it("falls back to the request's charset when the response names none", () => {
    const bytes = json('{"resultCd":"F011","ordNm":"홍*동"}', 'EUC-KR');

    const answer = readGatewayAnswer(
      'registerBillingKey',
      { status: 200, contentType: 'application/json', bytes },
      'EUC-KR',
    );

    expect(answer).toMatchObject({ fields: { ordNm: '홍*동' }, body: '{"resultCd":"F011","ordNm":"홍*동"}' });
  });

  it('accepts a byte-order mark and surrounding whitespace', () => {
    const answer = readGatewayAnswer(
      'query',
      { status: 200, contentType: undefined, bytes: json('\uFEFF {"resultCd":"0000"}\n') },
      'UTF-8',
    );

    expect(answer).toMatchObject({ fields: { resultCd: '0000' } });
  });

  it.each([
    ['a truncated body', '{"resultCd":"30'],
    ['an array', '[{"resultCd":"3001"}]'],
    ['HTML', '<html>error</html>'],
    ['an answer without resultCd', '{"resultMsg":"OK"}'],
  ])('calls %s unparsable', (_label, body) => {
    const answer = readGatewayAnswer(
      'charge',
      { status: 200, contentType: 'application/json', bytes: json(body) },
      'UTF-8',
    );

    expect(answer).toMatchObject({ reason: 'unparsable', httpStatus: 200 });
    expect(JSON.stringify(answer)).not.toContain(body);
  });

  it.each([302, 404, 500, 503])('treats HTTP %i as a failed exchange whatever the body', (status) => {
    const answer = readGatewayAnswer(
      'charge',
      { status, contentType: 'application/json', bytes: json('{"resultCd":"3001"}') },
      'UTF-8',
    );

    expect(answer).toEqual({ reason: 'http_status', httpStatus: status, detail: `HTTP ${status}` });
  });
});
