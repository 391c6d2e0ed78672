import { CardCompany } from './result-category';

/** The card company codes of guide §13, as `appCardCd` (issuer) and `acqCardCd` (acquirer) carry them. */
export const CARD_COMPANIES: readonly CardCompany[] = Object.freeze([
  { code: '01', name: '비씨' },
  { code: '02', name: '국민' },
  { code: '03', name: '하나' },
  { code: '04', name: '삼성' },
  { code: '06', name: '신한' },
  { code: '07', name: '현대' },
  { code: '08', name: '롯데' },
  { code: '11', name: '시티' },
  { code: '12', name: 'NH농협' },
  { code: '13', name: '수협' },
  { code: '15', name: '우리' },
  { code: '21', name: '광주' },
  { code: '22', name: '전북' },
  { code: '23', name: '제주' },
  { code: '25', name: '해외비자' },
  { code: '26', name: '해외마스터' },
  { code: '27', name: '해외다이너스' },
  { code: '28', name: '해외AMAX' },
  { code: '29', name: '해외JCB' },
  { code: '30', name: '해외' },
  { code: '32', name: '우체국' },
  { code: '33', name: 'MG새마을체크' },
  { code: '34', name: '중국은행체크' },
  { code: '38', name: '은련' },
  { code: '41', name: '신협' },
  { code: '42', name: '저축은행' },
  { code: '43', name: 'KDB산업' },
  { code: '44', name: '카카오뱅크' },
  { code: '45', name: '케이뱅크' },
  { code: '46', name: '카카오머니' },
  { code: '47', name: 'SSG머니' },
]);

const NAME_BY_CODE: ReadonlyMap<string, string> = new Map(CARD_COMPANIES.map((c) => [c.code, c.name]));

/** The §13 name of a card company code (`appCardCd`, `acqCardCd`); undefined for codes the guide does not list. */
export function cardCompanyName(code: string | undefined): string | undefined {
  return code === undefined ? undefined : NAME_BY_CODE.get(code.trim());
}
