import { describe, expect, it } from '@jest/globals';
import { fieldMaxBytes, fitsBytes } from './field-limits';

describe(fieldMaxBytes.name, () => {
  it('reads the size of a field from the endpoint catalogue', () => {
    expect(fieldMaxBytes('cancel', 'canMsg')).toBe(100);
    expect(fieldMaxBytes('charge', 'goodsNm')).toBe(100);
  });

  it('refuses a field the catalogue does not size, naming it', () => {
    expect(() => fieldMaxBytes('charge', 'noSuchField')).toThrow(/charge\.noSuchField/);
  });
});

describe(fitsBytes.name, () => {
  // 34 Hangul syllables: 102 bytes in UTF-8, 68 in EUC-KR.
  const reason = '가'.repeat(34);

  it('counts bytes of the charset it is given', () => {
    expect(fitsBytes(reason, 100, 'UTF-8')).toBe(false);
    expect(fitsBytes(reason, 100, 'EUC-KR')).toBe(true);
  });

  it('accepts a value of exactly the limit', () => {
    expect(fitsBytes('가'.repeat(33) + 'a', 100, 'UTF-8')).toBe(true);
  });
});
