import { CARD_COMPANIES } from '@app/paystory/catalogue/card-companies';
import { escapeHtml, page, scriptLiteral } from '../pages/html';
import type { AuthOrder } from './auth-session.store';

/** What the window posts to the merchant page (NOTES item 18); `data` carries the §4.2 fields. */
export interface AuthWindowMessage {
  resultCode: string;
  data: Record<string, string>;
  returnUrl: string;
  charSet: string;
}

/** The path the window's own form posts the card or phone to. */
export const AUTHORIZE_PATH = '/order/authorize';

type Language = AuthOrder['language'];

const LABELS = {
  KOR: {
    cardTitle: '신용카드 정기결제 등록',
    phoneTitle: '휴대폰 정기결제 등록',
    goods: '상품명',
    amount: '결제금액',
    cardCompany: '카드사',
    cardNo: '카드번호',
    expiry: '유효기간 (MMYY)',
    birth: '생년월일 6자리 / 사업자번호 10자리',
    cardPw: '비밀번호 앞 2자리',
    phone: '휴대폰 번호',
    submit: '확인',
    close: '취소',
    done: '처리 중입니다…',
  },
  ENG: {
    cardTitle: 'Register a card for recurring payments',
    phoneTitle: 'Register a phone for recurring payments',
    goods: 'Goods',
    amount: 'Amount',
    cardCompany: 'Card company',
    cardNo: 'Card number',
    expiry: 'Expiry (MMYY)',
    birth: 'Date of birth (6 digits) / business no. (10 digits)',
    cardPw: 'First 2 digits of the card PIN',
    phone: 'Mobile phone number',
    submit: 'Confirm',
    close: 'Cancel',
    done: 'Processing…',
  },
} as const;

/**
 * Hands a message to the merchant page: by postMessage to the opener frame on a desktop, or, when
 * the window is the whole page (mobile), by posting `data` straight to `returnUrl`.
 */
const DELIVER_SCRIPT = `function deliver(message) {
  if (window.parent && window.parent !== window) {
    window.parent.postMessage(message, '*');
    return;
  }
  var form = document.createElement('form');
  form.method = 'post';
  form.action = message.returnUrl;
  form.acceptCharset = message.charSet || 'UTF-8';
  Object.keys(message.data).forEach(function (key) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = key;
    input.value = message.data[key];
    form.appendChild(input);
  });
  document.body.appendChild(form);
  form.submit();
}`;

/** The form a person fills in: card data or a phone number, with Submit and Close. */
export function entryPage(order: AuthOrder, orderKey: string, closed: AuthWindowMessage, error?: string): string {
  const l = LABELS[order.language];
  const input = (id: string, label: string, attributes: string) =>
    `<label for="${id}">${escapeHtml(label)}</label>\n<input id="${id}" name="${id}" ${attributes} required>`;
  const means =
    order.payMethod === 'CARD'
      ? [
          `<label for="cpCd">${escapeHtml(l.cardCompany)}</label>\n<select id="cpCd" name="cpCd">${CARD_COMPANIES.map((c) => `<option value="${escapeHtml(c.code)}">${escapeHtml(c.name)}</option>`).join('')}</select>`,
          input('cardNo', l.cardNo, 'inputmode="numeric" autocomplete="cc-number" maxlength="19"'),
          input('expiry', l.expiry, 'inputmode="numeric" autocomplete="cc-exp" maxlength="5"'),
          input('birth', l.birth, 'inputmode="numeric" maxlength="10"'),
          input('cardPw', l.cardPw, 'type="password" inputmode="numeric" maxlength="2"'),
        ]
      : [input('phone', l.phone, 'type="tel" inputmode="numeric" autocomplete="tel" maxlength="11"')];
  const body = `<h1>${escapeHtml(order.payMethod === 'CARD' ? l.cardTitle : l.phoneTitle)}</h1>
<dl>
  <dt>${escapeHtml(l.goods)}</dt><dd id="goodsNm">${escapeHtml(order.goodsNm)}</dd>
  <dt>${escapeHtml(l.amount)}</dt><dd id="goodsAmt">${escapeHtml(new Intl.NumberFormat('ko-KR').format(Number(order.goodsAmt)))}</dd>
</dl>
${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
<form id="authForm" method="post" action="${AUTHORIZE_PATH}" accept-charset="UTF-8" autocomplete="off">
<input type="hidden" name="orderKey" value="${escapeHtml(orderKey)}">
${means.join('\n')}
<button id="submit" type="submit">${escapeHtml(l.submit)}</button>
<button id="close" type="button">${escapeHtml(l.close)}</button>
</form>
<script>
${DELIVER_SCRIPT}
document.getElementById('close').addEventListener('click', function () { deliver(${scriptLiteral(closed)}); });
</script>`;
  return page(order.payMethod === 'CARD' ? l.cardTitle : l.phoneTitle, body, order.language === 'ENG' ? 'en' : 'ko');
}

/** The last page of the window: hands the result to the merchant page at once. */
export function resultPage(message: AuthWindowMessage, language: Language): string {
  const body = `<h1 id="result" data-result-code="${escapeHtml(message.resultCode)}">${escapeHtml(LABELS[language].done)}</h1>
<p>${escapeHtml(message.data.resultMsg ?? '')}</p>
<script>
${DELIVER_SCRIPT}
deliver(${scriptLiteral(message)});
</script>`;
  return page(message.data.resultMsg ?? '', body, language === 'ENG' ? 'en' : 'ko');
}

/** The window could not take the request at all: says why, and Close hands the refusal back. */
export function refusedPage(message: AuthWindowMessage): string {
  const body = `<h1>결제 요청 오류</h1>
<p class="error" id="error">${escapeHtml(message.data.resultMsg ?? '')}</p>
<button id="close" type="button">닫기</button>
<script>
${DELIVER_SCRIPT}
document.getElementById('close').addEventListener('click', function () { deliver(${scriptLiteral(message)}); });
</script>`;
  return page('결제 요청 오류', body);
}
