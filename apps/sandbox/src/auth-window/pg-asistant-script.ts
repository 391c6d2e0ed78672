import { scriptLiteral } from '../pages/html';

/** The name of the iframe the auth window opens in on a desktop browser (NOTES item 18). */
export const PAY_FRAME_NAME = 'pg_pay_frame';

/**
 * The stand-in for the gateway's `pgAsistant.js` (§2.2, §4.1, NOTES item 18), keeping its contract:
 * - `SendPay(form)` posts the merchant's form (element, or its name; `payInit` by default) to
 *   `<base>/order`: into an overlay iframe named `pg_pay_frame` on a desktop, as the whole page on a mobile.
 * - `setSendPayUrl(base)` changes the base.
 * - When the window answers `{ resultCode: '0000', data, returnUrl, charSet }` by postMessage, it builds
 *   a form named `payResult` from `data` with action `returnUrl` and calls the merchant's
 *   `pay_result_submit()`, which calls `payResultSubmit()` to submit it.
 * - Any other resultCode posts the returned fields to the merchant form's original action.
 */
export function pgAsistantScript(baseUrl: string): string {
  return `/* PAY-STORY sandbox pgAsistant.js */
(function () {
  var base = ${scriptLiteral(baseUrl)};
  var FRAME = ${scriptLiteral(PAY_FRAME_NAME)};
  var OVERLAY = 'pg_pay_overlay';
  var opened = { action: null };

  function originOf(url) {
    try { return new URL(url, window.location.href).origin; } catch (e) { return ''; }
  }
  function isMobile() {
    return /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
  }
  function formOf(form) {
    if (typeof form === 'string') return document.forms[form] || document.getElementById(form);
    return form || document.forms.payInit;
  }
  function charsetOf(form) {
    var field = form.elements.charSet;
    return field && field.value ? field.value : 'UTF-8';
  }
  function closeOverlay() {
    var overlay = document.getElementById(OVERLAY);
    if (overlay) overlay.parentNode.removeChild(overlay);
  }
  function openOverlay() {
    closeOverlay();
    var overlay = document.createElement('div');
    overlay.id = OVERLAY;
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;';
    var frame = document.createElement('iframe');
    frame.name = FRAME;
    frame.id = FRAME;
    frame.style.cssText = 'width:440px;max-width:100%;height:680px;max-height:100%;border:0;border-radius:8px;background:#fff;';
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
  }
  function buildForm(name, action, charset, data) {
    var old = document.forms[name];
    if (old) old.parentNode.removeChild(old);
    var form = document.createElement('form');
    form.name = name;
    form.method = 'post';
    form.action = action;
    form.acceptCharset = charset || 'UTF-8';
    form.style.display = 'none';
    Object.keys(data || {}).forEach(function (key) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = key;
      input.value = data[key] === null || data[key] === undefined ? '' : String(data[key]);
      form.appendChild(input);
    });
    document.body.appendChild(form);
    return form;
  }

  window.setSendPayUrl = function (url) {
    base = String(url).replace(/\\/+$/, '');
  };

  window.SendPay = function (form) {
    var payForm = formOf(form);
    if (!payForm) throw new Error('SendPay: no payment form');
    opened.action = payForm.getAttribute('action');
    var target = payForm.getAttribute('target');
    payForm.acceptCharset = charsetOf(payForm);
    payForm.method = 'post';
    payForm.action = base + '/order';
    if (isMobile()) {
      payForm.target = '_self';
    } else {
      openOverlay();
      payForm.target = FRAME;
    }
    payForm.submit();
    // The merchant's form keeps its own action: failures are posted back to it.
    if (opened.action === null) payForm.removeAttribute('action'); else payForm.setAttribute('action', opened.action);
    if (target === null) payForm.removeAttribute('target'); else payForm.setAttribute('target', target);
  };

  window.payResultSubmit = function () {
    var form = document.forms.payResult;
    if (form) form.submit();
  };

  window.addEventListener('message', function (event) {
    if (event.origin !== originOf(base)) return;
    var message = event.data;
    if (!message || typeof message !== 'object' || !('resultCode' in message)) return;
    closeOverlay();
    if (message.resultCode === '0000') {
      buildForm('payResult', message.returnUrl, message.charSet, message.data);
      if (typeof window.pay_result_submit === 'function') window.pay_result_submit(); else window.payResultSubmit();
      return;
    }
    buildForm('payFail', opened.action || message.returnUrl, message.charSet, message.data).submit();
  });
})();
`;
}
