import { fromSeoulStamp } from '@app/paystory/clock/seoul-time';
import { maskName } from '../cards/masking';
import { escapeHtml, page } from '../pages/html';
import type { Approval, Cancellation } from '../transactions/transaction.store';

export type ReceiptLanguage = 'ko' | 'en';

const LABELS = {
  ko: {
    cardTitle: '신용카드 매출전표',
    phoneTitle: '휴대폰 결제 영수증',
    approved: '승인',
    partiallyCancelled: '부분취소',
    cancelled: '취소',
    status: '거래상태',
    total: '총 결제금액',
    supply: '금액',
    vat: '부가세',
    service: '봉사료',
    remaining: '취소 가능 잔액',
    orderNo: '주문번호',
    goods: '상품명',
    buyer: '구매자',
    cardCompany: '카드사',
    cardNo: '카드번호',
    phone: '휴대폰 번호',
    instalment: '할부',
    lumpSum: '일시불',
    months: '개월',
    approvalNo: '승인번호',
    approvedAt: '승인일시',
    tid: '거래번호',
    cancellations: '취소 내역',
    cancelledAt: '취소일시',
    amount: '금액',
    note: '본 거래확인서는 세금계산서 대용으로 사용할 수 없습니다.',
  },
  en: {
    cardTitle: 'Credit card sales slip',
    phoneTitle: 'Mobile phone payment receipt',
    approved: 'Approved',
    partiallyCancelled: 'Partially cancelled',
    cancelled: 'Cancelled',
    status: 'Status',
    total: 'Total',
    supply: 'Supply amount',
    vat: 'VAT',
    service: 'Service charge',
    remaining: 'Cancellable balance',
    orderNo: 'Order no.',
    goods: 'Goods',
    buyer: 'Buyer',
    cardCompany: 'Card company',
    cardNo: 'Card no.',
    phone: 'Phone',
    instalment: 'Instalment',
    lumpSum: 'Lump sum',
    months: 'months',
    approvalNo: 'Approval no.',
    approvedAt: 'Approved at',
    tid: 'Transaction ID',
    cancellations: 'Cancellations',
    cancelledAt: 'Cancelled at',
    amount: 'Amount',
    note: 'This confirmation cannot be used in place of a tax invoice.',
  },
} as const;

/** Whole KRW as the receipt shows it: `1,004원` (Korean) or `KRW 1,004`. */
export function formatKrw(amount: number, lang: ReceiptLanguage): string {
  const digits = new Intl.NumberFormat('ko-KR').format(amount);
  return lang === 'ko' ? `${digits}원` : `KRW ${digits}`;
}

/** A gateway stamp as the receipt shows it: `2021/11/17 11:28:18` (Asia/Seoul). */
export function formatStamp(stamp: string): string {
  if (!fromSeoulStamp(stamp)) return stamp;
  return `${stamp.slice(0, 4)}/${stamp.slice(4, 6)}/${stamp.slice(6, 8)} ${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}`;
}

/** The receipt of one approval with each of its cancels (§9.2.2); `tid` marks the transaction asked for. */
export function receiptPage(approval: Approval, cancellations: Cancellation[], lang: ReceiptLanguage): string {
  const l = LABELS[lang];
  const status =
    approval.remaining === 0 ? l.cancelled : approval.remaining < approval.amount ? l.partiallyCancelled : l.approved;
  const title = approval.card ? l.cardTitle : l.phoneTitle;
  const row = (id: string, label: string, value: string) =>
    `  <dt>${escapeHtml(label)}</dt><dd id="${id}">${escapeHtml(value)}</dd>`;
  const means = approval.card
    ? [
        row('cardCompany', l.cardCompany, approval.card.fnNm),
        row('cardNo', l.cardNo, approval.card.cardNoMasked),
        row('instalment', l.instalment, approval.quota === '00' ? l.lumpSum : `${Number(approval.quota)} ${l.months}`),
      ]
    : [row('phone', l.phone, approval.phoneMasked ?? '')];
  const cancelRows = cancellations
    .map(
      (c) =>
        `    <tr class="cancellation"><td>${escapeHtml(c.tid)}</td><td>${escapeHtml(formatKrw(c.amount, lang))}</td><td>${escapeHtml(formatStamp(c.ccDtm))}</td></tr>`,
    )
    .join('\n');
  const body = `<h1>${escapeHtml(title)}</h1>
<dl>
${[
  row('status', l.status, status),
  row('amount', l.total, formatKrw(approval.amount, lang)),
  // As §9.2.2's receipt shows them: 금액 (supply) and 부가세 under the total; 봉사료 only when there is one.
  row('supplyAmount', l.supply, formatKrw(approval.vat.supply, lang)),
  row('vatAmount', l.vat, formatKrw(approval.vat.vat, lang)),
  ...(approval.vat.service > 0 ? [row('serviceAmount', l.service, formatKrw(approval.vat.service, lang))] : []),
  row('remaining', l.remaining, formatKrw(approval.remaining, lang)),
  row('ordNo', l.orderNo, approval.ordNo),
  row('goodsName', l.goods, approval.goodsName),
  row('buyer', l.buyer, maskName(approval.ordNm)),
  ...means,
  row('appNo', l.approvalNo, approval.appNo),
  row('appDtm', l.approvedAt, formatStamp(approval.appDtm)),
  row('tid', l.tid, approval.tid),
].join('\n')}
</dl>
${
  cancellations.length > 0
    ? `<h2>${escapeHtml(l.cancellations)}</h2>
<table id="cancellations">
  <thead><tr><th>${escapeHtml(l.tid)}</th><th>${escapeHtml(l.amount)}</th><th>${escapeHtml(l.cancelledAt)}</th></tr></thead>
  <tbody>
${cancelRows}
  </tbody>
</table>`
    : ''
}
<p>${escapeHtml(l.note)}</p>`;
  return page(title, body, lang);
}

/** The page the admin host shows when it cannot show a receipt. */
export function receiptErrorPage(message: string, lang: ReceiptLanguage): string {
  return page(
    lang === 'ko' ? '영수증 조회 오류' : 'Receipt error',
    `<h1>${lang === 'ko' ? '영수증 조회 오류' : 'Receipt error'}</h1>\n<p class="error" id="error">${escapeHtml(message)}</p>`,
    lang,
  );
}
