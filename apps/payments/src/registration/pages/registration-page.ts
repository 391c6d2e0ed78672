import { escapeHtml, htmlPage, scriptJson } from './html';

const TEXT = {
  KOR: {
    title: '결제수단 등록',
    name: '이름',
    tel: '휴대폰 번호',
    card: '신용카드',
    phone: '휴대폰',
    submit: '등록하기',
    note: '결제 정보는 PAY-STORY 인증창에서만 입력됩니다.',
  },
  ENG: {
    title: 'Register a payment method',
    name: 'Name',
    tel: 'Mobile number',
    card: 'Credit card',
    phone: 'Mobile phone',
    submit: 'Register',
    note: 'Card details are entered only in the PAY-STORY window.',
  },
};

export interface RegistrationPageModel {
  sessionId: string;
  language: 'KOR' | 'ENG';
  buyerName: string;
  buyerTel: string;
  payMethod: 'CARD' | 'PHONE';
  /** Phone billing is offered only when the session has a first amount. */
  phoneAllowed: boolean;
  scriptUrl: string;
}

/**
 * The sample merchant page (guide §2.2): the person's name and phone and the means, then the
 * gateway's script opens its auth window (`SendPay`); the script calls `pay_result_submit`, which
 * calls `payResultSubmit` to post the result to the returnUrl. Merchants can copy it as it is.
 */
export function registrationPage(m: RegistrationPageModel): string {
  const t = TEXT[m.language];
  return htmlPage(
    t.title,
    m.language === 'KOR' ? 'ko' : 'en',
    `
<h1>${escapeHtml(t.title)}</h1>
<label for="buyerName">${escapeHtml(t.name)}</label>
<input id="buyerName" type="text" autocomplete="name" value="${escapeHtml(m.buyerName)}">
<label for="buyerTel">${escapeHtml(t.tel)}</label>
<input id="buyerTel" type="tel" inputmode="numeric" value="${escapeHtml(m.buyerTel)}">
<fieldset>
  <label><input id="method-card" type="radio" name="payMethod" value="CARD"${m.payMethod === 'CARD' ? ' checked' : ''}> ${escapeHtml(t.card)}</label>
  ${m.phoneAllowed ? `<label><input id="method-phone" type="radio" name="payMethod" value="PHONE"${m.payMethod === 'PHONE' ? ' checked' : ''}> ${escapeHtml(t.phone)}</label>` : ''}
</fieldset>
<button id="register" type="button">${escapeHtml(t.submit)}</button>
<p id="error" class="fail" role="alert"></p>
<p class="muted">${escapeHtml(t.note)}</p>
<form name="payInit" id="payInit" method="post"></form>
<script src="${escapeHtml(m.scriptUrl)}"></script>
<script>
  var session = ${scriptJson({ id: m.sessionId, language: m.language })};
  // The gateway's script calls this when its window completes (the name is fixed by the guide, §2.2).
  function pay_result_submit() { payResultSubmit(); }
  document.getElementById('register').addEventListener('click', async function () {
    var error = document.getElementById('error');
    error.textContent = '';
    var method = document.querySelector('input[name=payMethod]:checked');
    // Relative to this page's URL, so that it holds under a host's global prefix too.
    var response = await fetch(encodeURIComponent(session.id) + '/prepare', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        buyerName: document.getElementById('buyerName').value,
        buyerTel: document.getElementById('buyerTel').value,
        payMethod: method ? method.value : 'CARD',
        language: session.language,
      }),
    });
    var prepared = await response.json();
    if (!response.ok) {
      error.textContent = (prepared.errors || []).map(function (e) { return e.message; }).join('; ') || prepared.detail;
      return;
    }
    var form = document.getElementById('payInit');
    form.innerHTML = '';
    Object.keys(prepared.fields).forEach(function (name) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = prepared.fields[name];
      form.appendChild(input);
    });
    // Failures (a refused card, a closed window) come back to the returnUrl too.
    form.action = prepared.returnUrl;
    form.acceptCharset = prepared.fields.charSet || 'UTF-8';
    SendPay(form);
  });
</script>`,
  );
}
