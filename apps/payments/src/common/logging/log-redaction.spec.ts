import { redactLogLine, REDACTED_LOG_FIELDS } from './log-redaction';

const line = (fields: object): string => `${JSON.stringify({ level: 30, msg: 'x', ...fields })}\n`;

describe(redactLogLine.name, () => {
  it('leaves a line without a redacted field as it is', () => {
    const plain = line({ req: { method: 'POST', path: '/v1/payments' }, msg: 'cardNo is not a key here' });
    expect(redactLogLine(plain)).toBe(plain);
  });

  it.each(REDACTED_LOG_FIELDS)('redacts %s at the top and at any depth, keeping the rest', (field) => {
    const secret = 'do-not-log-me';
    const redacted = redactLogLine(
      line({
        [field]: secret,
        a: { b: { c: { [field]: { nested: secret } } } },
        list: [{ [field]: secret }],
        orderId: 'o-1',
      }),
    );
    expect(redacted).not.toContain(secret);
    expect(redacted.endsWith('\n')).toBe(true);
    expect(JSON.parse(redacted)).toMatchObject({
      [field]: '[Redacted]',
      a: { b: { c: { [field]: '[Redacted]' } } },
      list: [{ [field]: '[Redacted]' }],
      orderId: 'o-1',
    });
  });

  it('withholds a line that holds a redacted key but is not JSON', () => {
    const redacted = redactLogLine('{"cardNo":"4111111111111111",\n');
    expect(redacted).not.toContain('4111');
    expect(JSON.parse(redacted)).toMatchObject({ level: 50 });
  });
});
