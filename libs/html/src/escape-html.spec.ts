import { describe, expect, it } from '@jest/globals';
import { escapeHtml } from './escape-html';

describe(escapeHtml.name, () => {
  it('escapes the five characters that can end text or an attribute value', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
    );
  });

  it('escapes an ampersand once, leaving other text, Korean included, as it is', () => {
    expect(escapeHtml('&amp; 결제 완료')).toBe('&amp;amp; 결제 완료');
  });

  it('writes numbers as text and null or undefined as nothing', () => {
    expect(escapeHtml(50_000)).toBe('50000');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
  });
});
