import type { RegistrationOutcome } from '../auth-session.service';
import { escapeHtml, htmlPage } from './html';

const TEXT = {
  KOR: {
    okTitle: '등록 완료',
    cardOk: '카드가 등록되었습니다.',
    phoneOk: '휴대폰 결제수단이 등록되었습니다.',
    charged: (n: string) => `첫 결제 ${n}원이 승인되었습니다.`,
    failTitle: '등록 실패',
    pendingTitle: '확인 중',
    retry: '다시 시도하시려면 처음부터 진행해 주세요.',
  },
  ENG: {
    okTitle: 'Registered',
    cardOk: 'Your card is registered.',
    phoneOk: 'Your mobile phone is registered for billing.',
    charged: (n: string) => `The first payment of ₩${n} was approved.`,
    failTitle: 'Registration failed',
    pendingTitle: 'Being confirmed',
    retry: 'To try again, please start over.',
  },
};

/** What the person sees after the auth window: success, failure, or "being confirmed", in the chosen language. */
export function resultPage(outcome: RegistrationOutcome): string {
  const t = TEXT[outcome.language];
  const lang = outcome.language === 'KOR' ? 'ko' : 'en';
  const krw = (n: number) => n.toLocaleString('ko-KR');
  if (outcome.ok) {
    const lines = [outcome.payMethod === 'PHONE' ? t.phoneOk : t.cardOk];
    if (outcome.cardNoMasked) lines.push(escapeHtml(outcome.cardNoMasked));
    if (outcome.amountCharged) lines.push(t.charged(krw(outcome.amountCharged)));
    return htmlPage(
      t.okTitle,
      lang,
      `<h1 id="result" class="ok" data-status="success">${escapeHtml(t.okTitle)}</h1>\n${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}`,
    );
  }
  const title = outcome.pending ? t.pendingTitle : t.failTitle;
  return htmlPage(
    title,
    lang,
    `<h1 id="result" class="fail" data-status="${outcome.pending ? 'pending' : 'failure'}">${escapeHtml(title)}</h1>
<p id="reason">${escapeHtml(outcome.message ?? '')}</p>
${outcome.pending ? '' : `<p class="muted">${escapeHtml(t.retry)}</p>`}`,
  );
}
