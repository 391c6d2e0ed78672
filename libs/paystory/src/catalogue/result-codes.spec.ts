import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CARD_COMPANIES, cardCompanyName } from './card-companies';
import { ResultCodeGroup } from './result-category';
import { describeResult, isSuccess, RESULT_CODES, isChargeApproval, isCancelSuccess } from './result-codes';

/** The guide sits in the shared folder beside the repository (`../shared/spec`), tests run from the repository root. */
const GUIDE_PATH = resolve(process.cwd(), '..', 'shared', 'spec', 'paystory-billing-guide.ko.txt');

interface GuideRow {
  code: string;
  text: string;
}

/** The tab-separated rows of one section of the guide, from its heading up to the next heading given. */
function guideRows(guide: string, from: string, to: string, codePattern: RegExp): GuideRow[] {
  const start = guide.indexOf(from);
  const end = guide.indexOf(to, start);
  if (start < 0 || end < 0) throw new Error(`Guide section "${from}" not found`);
  return guide
    .slice(start, end)
    .split(/\r?\n/)
    .map((line) => /^(\S+)\t(.+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && codePattern.test(match[1]))
    .map((match) => ({ code: match[1], text: match[2].trim() }));
}

const guide = existsSync(GUIDE_PATH) ? readFileSync(GUIDE_PATH, 'utf8') : undefined;
const itWithGuide = guide === undefined ? it.skip : it;
if (guide === undefined) {
  console.warn(`Guide not found at ${GUIDE_PATH}: the checks of §12 and §13 against the guide's own text are skipped.`);
}

const RESULT_CODE = /^[0-9A-Z]{4}$/;
const sections: [string, string, string, ResultCodeGroup][] = [
  ['§12.2', '12.2 카드 결과 코드', '12.3 빌링 결과 코드', 'card'],
  ['§12.3', '12.3 빌링 결과 코드', '12.4 취소 결과 코드', 'billing'],
  ['§12.4', '12.4 취소 결과 코드', '13. 카드사 코드', 'cancel'],
];

describe('RESULT_CODES', () => {
  describe.each(sections)('against the guide %s', (_section, from, to, group) => {
    itWithGuide('lists every code with the guide’s exact message', () => {
      const rows = guideRows(guide ?? '', from, to, RESULT_CODE);
      expect(rows.length).toBeGreaterThan(10);
      const ours = RESULT_CODES.filter((info) => info.group === group).map((info) => ({
        code: info.code,
        text: info.message,
      }));
      expect(ours).toEqual(rows);
    });
  });

  itWithGuide('holds nothing beyond §12 except 0000 and the notification-only codes of NOTES item 4', () => {
    const listed = sections
      .flatMap(([, from, to]) => guideRows(guide ?? '', from, to, RESULT_CODE))
      .map((row) => row.code);
    expect(RESULT_CODES.map((info) => info.code).filter((code) => !listed.includes(code))).toEqual([
      '0000',
      '4000',
      '4110',
      '8000',
    ]);
  });

  it('tells charge approvals and cancel successes apart', () => {
    expect(['3001', 'A000', '2001', '3030', ''].map(isChargeApproval)).toEqual([true, true, false, false, false]);
    expect(['2001', '3001', '2004'].map(isCancelSuccess)).toEqual([true, false, false]);
    expect(describeResult('4000')).toMatchObject({ category: 'success', group: 'notification', known: true });
  });

  it('lists each code once', () => {
    const codes = RESULT_CODES.map((info) => info.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('marks every listed code as known and only declines as hard declines', () => {
    for (const info of RESULT_CODES) {
      expect(info.known).toBe(true);
      if (info.hardDecline) expect(info.category).toBe('declined');
    }
  });
});

describe(describeResult.name, () => {
  it.each(['3001', 'F000', 'F011', 'F012', '2001', 'A000', '0000'])('reads %s as success', (code) => {
    expect(describeResult(code)).toMatchObject({ code, category: 'success', hardDecline: false, known: true });
  });

  it.each([
    ['3000', '만료카드'],
    ['3003', '분실/도난카드'],
    ['3004', '거래 정지 카드'],
    ['3010', '해지카드'],
    ['3011', '카드번호 오류'],
    ['3021', '유효기간 오류'],
    ['F002', '빌키 미존재 또는 삭제된 빌키'],
    ['F003', '요청된 빌키 사용중지됨'],
  ])('reads %s (%s) as a hard decline: no retry of that card or key can help', (code, message) => {
    expect(describeResult(code)).toEqual({
      code,
      message,
      category: 'declined',
      group: expect.any(String),
      hardDecline: true,
      known: true,
    });
  });

  it.each([
    ['3002', '카드 결제 실패'],
    ['3030', '카드 한도초과'],
    ['3095', '카드사 실패 응답'],
    ['F006', '카드빌링실행 실패'],
  ])('reads %s (%s) as a soft decline', (code, message) => {
    expect(describeResult(code)).toMatchObject({ code, message, category: 'declined', hardDecline: false });
  });

  it.each([
    ['3041', 'a card charge under 1,000 KRW (NOTES item 10)'],
    ['3024', 'instalments under 50,000 KRW (NOTES item 10)'],
    ['3012', 'merchant set-up'],
    ['3022', 'instalment months'],
    ['2012', 'no such transaction to cancel'],
    ['2032', 'cancel more than is left'],
    ['2020', 'net-cancel window passed (NOTES item 14)'],
    ['0001', 'missing ordNo'],
    ['0003', 'duplicate ordNo'],
    ['9998', 'a bad or missing field, or a bad hash: the same request never passes'],
  ])('reads %s (%s) as a merchant error', (code) => {
    expect(describeResult(code)).toMatchObject({ code, category: 'merchant_error', hardDecline: false });
  });

  it.each(['2004', '2013', '2015', 'F007'])('reads %s as already done', (code) => {
    expect(describeResult(code)).toMatchObject({ code, category: 'already_done' });
  });

  it.each(['2002', '2003', 'F008'])('reads %s as worth retrying later', (code) => {
    expect(describeResult(code)).toMatchObject({ code, category: 'retry_later' });
  });

  it('keeps the guide’s message for a listed code even when the gateway words it differently', () => {
    expect(describeResult('3030', '한도 초과입니다').message).toBe('카드 한도초과');
  });

  it('passes a partner code through as a soft decline with the gateway’s message (§12.1, NOTES item 16)', () => {
    expect(describeResult('8326', '  잔액부족  ')).toEqual({
      code: '8326',
      message: '잔액부족',
      category: 'declined',
      group: 'passthrough',
      hardDecline: false,
      known: false,
    });
  });

  it('gives a partner code without a message a generic text naming the code', () => {
    const info = describeResult('X123');
    expect(info).toMatchObject({ code: 'X123', category: 'declined', known: false });
    expect(info.message).toContain('X123');
  });

  it('reads an empty code as unknown', () => {
    expect(describeResult('', '')).toMatchObject({ code: '', category: 'unknown', known: false });
  });

  it('ignores whitespace around a code', () => {
    expect(describeResult(' 3001 ')).toMatchObject({ code: '3001', category: 'success', known: true });
  });
});

describe(isSuccess.name, () => {
  it('is true only for the guide’s success codes', () => {
    expect(isSuccess('3001')).toBe(true);
    expect(isSuccess('F011')).toBe(true);
    expect(isSuccess('0000')).toBe(true);
    expect(isSuccess('3002')).toBe(false);
    expect(isSuccess('2004')).toBe(false);
    expect(isSuccess('8326')).toBe(false);
    expect(isSuccess('')).toBe(false);
  });
});

describe('CARD_COMPANIES', () => {
  itWithGuide('lists every card company of §13 with the guide’s name, in order', () => {
    const rows = guideRows(guide ?? '', '13. 카드사 코드', '14. 별첨', /^\d{2}$/);
    expect(rows).toHaveLength(31);
    expect(CARD_COMPANIES.map((c) => ({ code: c.code, text: c.name }))).toEqual(rows);
  });
});

describe(cardCompanyName.name, () => {
  it('names a card company by its code', () => {
    expect(cardCompanyName('01')).toBe('비씨');
    expect(cardCompanyName('12')).toBe('NH농협');
    expect(cardCompanyName('47')).toBe('SSG머니');
  });

  it('is undefined for a code the guide does not list', () => {
    expect(cardCompanyName('05')).toBeUndefined();
    expect(cardCompanyName('1')).toBeUndefined();
    expect(cardCompanyName(undefined)).toBeUndefined();
  });
});
