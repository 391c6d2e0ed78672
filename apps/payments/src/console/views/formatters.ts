import type { ConsoleLabels } from './labels';

const SEOUL = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** What the templates use to show values: whole won with separators, Seoul time, status words. */
export function formatters(t: ConsoleLabels) {
  return {
    won: (amount: number | null | undefined) =>
      amount === null || amount === undefined ? '—' : `${amount.toLocaleString('en-US')} ${t.common.won}`,
    when: (at: Date | string | null | undefined) => (at ? SEOUL.format(new Date(at)) : '—'),
    status: (status: string | null | undefined) => (status ? (t.statuses[status] ?? status) : '—'),
    json: (value: unknown) => JSON.stringify(value, null, 2),
  };
}

export type Formatters = ReturnType<typeof formatters>;
