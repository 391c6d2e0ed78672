import { scriptLiteral } from '../pages/html';

/**
 * The stand-in for the admin host's `receipt.js` (§9.1.1). It exposes `receipt_open(form)`, which
 * posts `mid`, `tid`, `receiptType`, `encData` and `lang` (NOTES item 5) from a form element or a
 * plain object to `receiptSearch.html`, in a popup window.
 */
export function receiptScript(receiptBaseUrl: string): string {
  return `/* PAY-STORY sandbox receipt.js */
(function () {
  var base = ${scriptLiteral(receiptBaseUrl)};
  var names = ['mid', 'tid', 'receiptType', 'encData', 'lang'];
  function valuesOf(source) {
    var values = {};
    names.forEach(function (name) {
      var value = source && source.elements ? (source.elements[name] && source.elements[name].value) : source && source[name];
      if (value !== undefined && value !== null && value !== '') values[name] = String(value);
    });
    return values;
  }
  window.receipt_open = function (form) {
    var values = valuesOf(typeof form === 'string' ? document.forms[form] : form);
    var target = 'paystory_receipt';
    window.open('', target, 'width=440,height=760,scrollbars=yes');
    var post = document.createElement('form');
    post.method = 'post';
    post.action = base + '/receiptSearch.html';
    post.target = target;
    post.acceptCharset = 'UTF-8';
    Object.keys(values).forEach(function (name) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = values[name];
      post.appendChild(input);
    });
    document.body.appendChild(post);
    post.submit();
    document.body.removeChild(post);
  };
})();
`;
}
