import { byteLength, decodeForm, encodeForm, isEncodable, parseCharset, PaystoryCharset } from './charset';

const charsets: PaystoryCharset[] = ['UTF-8', 'EUC-KR'];

/** Hangul plus every character that means something in a form body. */
const trickyFields: Record<string, string> = {
  goodsNm: '정기 구독 & 추가=1+1 (100% 할인)',
  ordNm: '홍길동',
  mbsReserved: 'a=b&c=d',
  canMsg: '  앞뒤 공백  ',
  'odd&name=': '%41 is not A',
  empty: '',
};

describe(encodeForm.name, () => {
  it.each(charsets)('round-trips Hangul and reserved characters through decodeForm in %s', (charset) => {
    const body = encodeForm(trickyFields, charset);
    expect(decodeForm(body, charset)).toEqual(trickyFields);
    expect(decodeForm(Buffer.from(body, 'latin1'), charset)).toEqual(trickyFields);
  });

  it.each(charsets)('leaves no raw reserved character inside a value in %s', (charset) => {
    const body = encodeForm({ v: '&=+% ' }, charset);
    expect(body).toBe('v=%26%3D%2B%25+');
  });

  it('writes Hangul as its UTF-8 bytes', () => {
    expect(encodeForm({ goodsNm: '가' }, 'UTF-8')).toBe('goodsNm=%EA%B0%80');
  });

  it('writes Hangul as its EUC-KR bytes', () => {
    expect(encodeForm({ goodsNm: '가' }, 'EUC-KR')).toBe('goodsNm=%B0%A1');
  });

  it('produces a UTF-8 body that a standard form parser reads the same way', () => {
    const parsed = Object.fromEntries(new URLSearchParams(encodeForm(trickyFields, 'UTF-8')));
    expect(parsed).toEqual(trickyFields);
  });

  it('escapes every ASCII character and Hangul in UTF-8 exactly as the WHATWG form serializer does', () => {
    // Each ASCII character alone, amid unreserved ones (the path that returns a value as it is), and mixed with Hangul.
    const values = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).flatMap((c) => [
      c,
      `ab${c}12`,
      `가${c}-`,
    ]);
    values.push('20261207031500', 'a1B2-c3.d4_e5*f6', '');
    for (const value of values)
      expect(encodeForm({ v: value }, 'UTF-8')).toBe(new URLSearchParams({ v: value }).toString());
  });
});

describe(decodeForm.name, () => {
  it('reads a UTF-8 body written by a standard form encoder', () => {
    const body = new URLSearchParams(trickyFields).toString();
    expect(decodeForm(body, 'UTF-8')).toEqual(trickyFields);
  });

  it('reads EUC-KR percent-escapes as EUC-KR, not as UTF-8', () => {
    expect(decodeForm('ordNm=%C8%AB%B1%E6%B5%BF', 'EUC-KR')).toEqual({ ordNm: '홍길동' });
  });

  it('keeps a lone percent sign that is not an escape', () => {
    expect(decodeForm('note=100%', 'UTF-8')).toEqual({ note: '100%' });
  });

  it('reads a name without "=" as an empty value and skips empty pairs', () => {
    expect(decodeForm('flag&&a=1', 'UTF-8')).toEqual({ flag: '', a: '1' });
  });
});

describe(byteLength.name, () => {
  it('counts a Hangul syllable as 3 bytes in UTF-8 and 2 in EUC-KR (NOTES item 9)', () => {
    expect(byteLength('가나다', 'UTF-8')).toBe(9);
    expect(byteLength('가나다', 'EUC-KR')).toBe(6);
    expect(byteLength('abc', 'UTF-8')).toBe(3);
    expect(byteLength('abc', 'EUC-KR')).toBe(3);
  });
});

describe(isEncodable.name, () => {
  it('knows EUC-KR cannot carry an emoji while UTF-8 can', () => {
    expect(isEncodable('구독🎁', 'EUC-KR')).toBe(false);
    expect(isEncodable('구독🎁', 'UTF-8')).toBe(true);
    expect(isEncodable('구독', 'EUC-KR')).toBe(true);
  });
});

describe(parseCharset.name, () => {
  it.each([
    ['EUC-KR', 'EUC-KR'],
    ['euc_kr', 'EUC-KR'],
    ['ks_c_5601-1987', 'EUC-KR'],
    ['utf8', 'UTF-8'],
    [' UTF-8 ', 'UTF-8'],
  ])('reads "%s" as %s', (name, expected) => {
    expect(parseCharset(name)).toBe(expected);
  });

  it('falls back for a missing or unknown name', () => {
    expect(parseCharset(undefined)).toBe('UTF-8');
    expect(parseCharset('latin1', 'EUC-KR')).toBe('EUC-KR');
  });
});
