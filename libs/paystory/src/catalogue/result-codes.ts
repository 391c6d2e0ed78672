import { ResultCategory, ResultCodeGroup, ResultCodeInfo } from './result-category';

/*
 * Every result code of the guide (§12.2 card, §12.3 billing, §12.4 cancel) plus `0000`, the
 * success code of the auth window (§4.2) and the transaction query (§8.3), each with the guide's
 * own message, character for character (typos included). How the categories were chosen:
 *
 * - `success`: the code says the operation was done (3001, F000, F011, F012, 2001, A000, 0000).
 *   Whether it is the expected success for a given endpoint is the endpoint catalogue's business
 *   (`successCodes`), not this table's. A success code that is not the endpoint's (F000 or 0000
 *   on a charge, A000 on a card cancel) says something was done but not what was asked: the client
 *   reads it as an `unknown` refusal, never as a decline (`outcomeOf`).
 * - `declined`: the card or the card company refused. `hardDecline` when the card itself is
 *   unusable (expired, lost, stolen, suspended, closed, unknown, wrong number, billing key gone or
 *   suspended), so retrying the same card or key cannot help; soft when the same card may pass later
 *   or with corrected customer input (generic failure, limit, wrong password, balance).
 *   F005/F006 are the billing twins of the generic 3002, so they are soft declines too.
 * - `merchant_error`: our request or our merchant contract is wrong: merchant set-up, currency,
 *   anything about instalments (a subscription charges lump sum; 3024 and 3099 included), amount
 *   under 1,000 KRW (3041), every cancel refusal about the transaction or the amount asked, and
 *   9998 기타오류, which the gateway answers to a bad or missing field or a bad hash.
 *   Resending the same request is pointless; change the request or the configuration.
 * - `already_done`: the state asked for already holds: already cancelled (2004, 2013, 2015),
 *   already registered (F001, F004, F007), already acquired (3073). Registration duplicates carry no
 *   billing key, so the caller still has to treat them as a refusal of the new registration.
 * - `retry_later`: a definite failure whose reason is on the gateway's side and may clear: cancel in
 *   progress (2002), generic cancel/delete failures (2003, F008).
 * - `unknown`: 2021 매입전취소 / 2022 매입후취소 name a kind of cancel without saying whether it
 *   happened; confirm with the transaction query (§8) before believing either way. An empty code is
 *   unknown too.
 * - Codes the guide does not list are the card company's or carrier's own, passed through (§12.1,
 *   NOTES item 16): `declined`, soft, `known: false`, with the gateway's message.
 *
 * F002 (no such billing key) is a hard decline for a charge; a caller deleting a key may read it as
 * "already gone".
 */

type Entry = readonly [code: string, message: string, category: ResultCategory, hardDecline?: boolean];

const HARD = true;

const CARD: readonly Entry[] = [
  ['3001', '카드 결제 성공', 'success'],
  ['3000', '만료카드', 'declined', HARD],
  ['3002', '카드 결제 실패', 'declined'],
  ['3003', '분실/도난카드', 'declined', HARD],
  ['3004', '거래 정지 카드', 'declined', HARD],
  ['3005', '확인할 수 없는 카드', 'declined', HARD],
  ['3006', '미등록 카드', 'declined', HARD],
  ['3007', '탈퇴카드 & 기존카드존재', 'declined', HARD],
  ['3008', '분실 & 파손카드', 'declined', HARD],
  ['3009', '카드 상태 비정상', 'declined', HARD],
  ['3010', '해지카드', 'declined', HARD],
  ['3011', '카드번호 오류', 'declined', HARD],
  ['3012', '카드가맹점 정보 미확인', 'merchant_error'],
  ['3013', '카드가맹점 개시 안됨', 'merchant_error'],
  ['3014', '카드가맹점 정보 오류', 'merchant_error'],
  ['3015', '사용 중지된 가맹점입니다.', 'merchant_error'],
  ['3020', '비밀번호 오류', 'declined'],
  ['3021', '유효기간 오류', 'declined', HARD],
  ['3022', '할부개월 오류', 'merchant_error'],
  ['3023', '할부개월 한도 초과', 'merchant_error'],
  ['3024', '50000원 미만은 할부가 불가능 합니다.', 'merchant_error'],
  ['3025', '카드비밀번호 미입력', 'merchant_error'],
  ['3026', '본인인증 필수값 누락', 'merchant_error'],
  ['3027', '카드인증 필수값 누락', 'merchant_error'],
  ['3028', '일시불 승인 요망', 'merchant_error'],
  ['3029', '할부 승인불가', 'merchant_error'],
  ['3030', '카드 한도초과', 'declined'],
  ['3031', '무이자 할부 카드 아님', 'merchant_error'],
  ['3032', '무이자 할부 불가 개월수', 'merchant_error'],
  ['3033', '무이자 할부 가맹점 아님', 'merchant_error'],
  ['3034', '무이자 할부 구분 미설정', 'merchant_error'],
  ['3041', '금액 오류(1000원 미만 신용카드 승인 불가)', 'merchant_error'],
  ['3051', '해외카드 미등록 가맹점', 'merchant_error'],
  ['3052', '통화코드 오류', 'merchant_error'],
  ['3053', '확인 불가 해외카드', 'declined', HARD],
  ['3054', '환율전환오류', 'merchant_error'],
  ['3055', '인증시 달러승인 불가', 'merchant_error'],
  ['3056', '국내카드 달러승인불가', 'merchant_error'],
  ['3057', '인증 불가카드', 'declined', HARD],
  ['3061', '국민카드 인터넷 안전 결제 적용 가맹점', 'merchant_error'],
  ['3062', '신용카드 승인번호 오류', 'merchant_error'],
  ['3071', '매입요청 가맹점 아님', 'merchant_error'],
  ['3072', '매입요청 TID 정보 불일치', 'merchant_error'],
  ['3073', '기매입 거래', 'already_done'],
  ['3081', '카드 잔액 값 오류', 'declined'],
  ['3091', '제휴카드 사용불가 가맹점', 'merchant_error'],
  ['3095', '카드사 실패 응답', 'declined'],
  ['3096', '외화승인불가VAN', 'merchant_error'],
  ['3097', '외화승인설정오류', 'merchant_error'],
  ['3098', '해외카드결제불가', 'declined', HARD],
  ['3099', '해외카드는 할부 결제가 불가합니다.', 'merchant_error'],
  ['3100', '세이브결제 부분취소 불가', 'merchant_error'],
  ['3101', '타상점 거래취소 불가', 'merchant_error'],
  ['3102', '거래금액이 입금완료 상태가 아님', 'merchant_error'],
  ['3103', '부분취소 불가능 카드번호', 'merchant_error'],
  ['3104', '부분취소 불가능 카드사 가맹점 번호', 'merchant_error'],
  ['3105', '장바구니 결제 유형 설정 오류', 'merchant_error'],
  ['3106', '장바구니 서브 거래내역 없음', 'merchant_error'],
];

const BILLING: readonly Entry[] = [
  ['F000', '결제요청 정상처리', 'success'],
  ['F001', '간편결제 기등록선 존재', 'already_done'],
  ['F002', '빌키 미존재 또는 삭제된 빌키', 'declined', HARD],
  ['F003', '요청된 빌키 사용중지됨', 'declined', HARD],
  ['F004', '이미 등록된 카드정보임', 'already_done'],
  ['F005', '카드빌링등록 실패', 'declined'],
  ['F006', '카드빌링실행 실패', 'declined'],
  ['F007', '카드빌링등록 기등록건 존재', 'already_done'],
  ['F008', '카드 빌키 삭제 실패', 'retry_later'],
  ['F010', '입력카드번호 불일치', 'declined', HARD],
  ['F011', '빌키 발급 성공', 'success'],
  ['F012', '빌키 삭제 성공', 'success'],
  ['9998', '기타오류', 'merchant_error'],
];

const CANCEL: readonly Entry[] = [
  ['2001', '취소 성공', 'success'],
  ['A000', '휴대폰 결제 처리 성공', 'success'],
  ['2003', '취소 실패', 'retry_later'],
  ['2004', '이미 취소된 거래', 'already_done'],
  ['2002', '취소 진행중', 'retry_later'],
  ['2010', '취소 요청금액 0원 이하', 'merchant_error'],
  ['2011', '취소 금액 불일치', 'merchant_error'],
  ['2012', '취소 해당거래 없음', 'merchant_error'],
  ['2013', '취소 완료 거래', 'already_done'],
  ['2014', '취소 불가능 거래', 'merchant_error'],
  ['2015', '기 취소 요청', 'already_done'],
  ['2016', '취소 기한 초과', 'merchant_error'],
  ['2017', '취소 불가 가맹점', 'merchant_error'],
  ['2018', '신용카드 매입후 취소 불가능 가맹점', 'merchant_error'],
  ['2019', '타 가맹점 거래 취소 불가', 'merchant_error'],
  ['2020', '망상취소 허용시간 초과', 'merchant_error'],
  ['2021', '매입전취소', 'unknown'],
  ['2022', '매입후취소', 'unknown'],
  ['2023', '취소 한도 초과', 'merchant_error'],
  ['2024', '취소패스워드 불일치', 'merchant_error'],
  ['2025', '취소패스워드 미 입력', 'merchant_error'],
  ['2026', '입금액보다 취소금액이 큼니다.', 'merchant_error'],
  ['2027', '에스크로 거래는 구매 또는 구매거절 상태에만 취소가능', 'merchant_error'],
  ['2028', '부분취소 불가능 가맹점', 'merchant_error'],
  ['2029', '부분취소 불가능 결제수단', 'merchant_error'],
  ['2030', '해당결제수단 부분취소 불가', 'merchant_error'],
  ['2031', '전체금액취소 불가', 'merchant_error'],
  ['2032', '취소금액이 취소가능금액보다 큼', 'merchant_error'],
  ['2033', '부분취소 불가능금액, 전체취소 이용바람', 'merchant_error'],
  ['2034', '해당거래 부분취소 불가능. 매입완료 후 가능', 'merchant_error'],
  ['2035', '채권방지 설정으로 취소불가. PG사로 문의바람', 'merchant_error'],
  ['2036', '카드정보 불일치', 'merchant_error'],
  ['2037', '취소요청금액과 장바구니 취소금액 불일치', 'merchant_error'],
  ['2038', '장바구니 거래로 취소요청 바람(일반취소 불가)', 'merchant_error'],
  ['2039', '일반거래로 취소요청 바람(장바구니 취소 불가)', 'merchant_error'],
  ['2040', '장바구니 취소 정보가 없음', 'merchant_error'],
  ['2041', '익월 취소 불가능한 거래입니다.', 'merchant_error'],
  ['2042', '에스크로 거래는 구매 상태에만 환불 가능', 'merchant_error'],
  ['0001', '주문번호 누락', 'merchant_error'],
  ['0002', '결제건 없음', 'merchant_error'],
  ['0003', '중복 주문번호 사용상점 취소 실패', 'merchant_error'],
];

/** §8.3 writes "0000 : 성공" for the query; §4.2 writes "0000 : 정상" for the auth window. */
const QUERY: readonly Entry[] = [['0000', '성공', 'success']];

/**
 * Success codes of other payment means that only appear in back-end notifications (NOTES item 4,
 * from the gateway's sample notification page); the guide's tables do not list them.
 */
const NOTIFICATION_ONLY: readonly Entry[] = [
  ['4000', '계좌이체 성공 (BANK)', 'success'],
  ['4110', '가상계좌 발급 성공 (VACNT)', 'success'],
  ['8000', '문화상품권 결제 성공 (CULTUREGIFT)', 'success'],
];

/** The codes that mark a charge as approved: card `3001`, phone `A000` (§5.4, NOTES items 4 and 8). */
export const CHARGE_APPROVAL_CODES: readonly string[] = ['3001', 'A000'];
/** The code that marks a cancel as done (§7.4); a cancel notification also carries `cancelYN` Y (NOTES 4). */
export const CANCEL_SUCCESS_CODE = '2001';

export function isChargeApproval(code: string | undefined): boolean {
  return CHARGE_APPROVAL_CODES.includes((code ?? '').trim());
}

/**
 * The code a charge comes back with when its `ordNo` was already used for the merchant (§4.1,
 * NOTES 15: the guide names no code of its own; the gateway answers its generic 9998). A charge
 * refused so may have been approved under that order before: confirm by query, never decline.
 */
export const DUPLICATE_ORDER_CODE = '9998';

export function mayBeDuplicateOrder(code: string | undefined): boolean {
  return (code ?? '').trim() === DUPLICATE_ORDER_CODE;
}

export function isCancelSuccess(code: string | undefined): boolean {
  return (code ?? '').trim() === CANCEL_SUCCESS_CODE;
}

function toInfo(group: ResultCodeGroup) {
  return ([code, message, category, hardDecline = false]: Entry): ResultCodeInfo => ({
    code,
    message,
    category,
    group,
    hardDecline,
    known: true,
  });
}

/** Every result code the guide lists, in the guide's order, with its category. */
export const RESULT_CODES: readonly ResultCodeInfo[] = Object.freeze([
  ...CARD.map(toInfo('card')),
  ...BILLING.map(toInfo('billing')),
  ...CANCEL.map(toInfo('cancel')),
  ...QUERY.map(toInfo('query')),
  ...NOTIFICATION_ONLY.map(toInfo('notification')),
]);

const BY_CODE: ReadonlyMap<string, ResultCodeInfo> = new Map(RESULT_CODES.map((info) => [info.code, info]));

/**
 * What a gateway result code means. Codes the guide does not list are the partner's own codes
 * passed through (§12.1): a soft decline carrying the gateway's message. An empty code is `unknown`.
 */
export function describeResult(code: string, gatewayMessage?: string): ResultCodeInfo {
  const normalised = (code ?? '').trim();
  const listed = BY_CODE.get(normalised);
  if (listed) return listed;
  const message = gatewayMessage?.trim() || (normalised ? `파트너사 결과 코드 ${normalised}` : '결과 코드 없음');
  return {
    code: normalised,
    message,
    category: normalised ? 'declined' : 'unknown',
    group: 'passthrough',
    hardDecline: false,
    known: false,
  };
}

/** Whether the code is one of the guide's success codes (for any endpoint). */
export function isSuccess(code: string): boolean {
  return BY_CODE.get((code ?? '').trim())?.category === 'success';
}
