import type { ReportView } from './reconciliation.view';

const COLUMNS = [
  'date',
  'merchant',
  'run_id',
  'attempt',
  'mismatch_id',
  'payment_id',
  'order_id',
  'kind',
  'resolution',
  'ours_status',
  'ours_amount',
  'ours_cancelled_amount',
  'gateway_status',
  'gateway_amount',
  'gateway_cancelled_amount',
  'detail',
  'found_at',
] as const;

/**
 * The day's mismatches as CSV (RFC 4180): a header row, then one line per mismatch, CRLF line
 * ends. Holds only what the JSON report holds: ids, states and amounts, never card data or keys.
 */
export function reportCsv(report: ReportView): string {
  const lines = [COLUMNS.join(',')];
  for (const run of report.runs) {
    for (const m of run.mismatches) {
      lines.push(
        [
          report.date,
          run.merchant,
          run.id,
          m.attempt,
          m.id,
          m.paymentId,
          m.orderId,
          m.kind,
          m.resolution,
          m.ours.status,
          m.ours.amount,
          m.ours.cancelledAmount,
          m.gateway.status,
          m.gateway.amount,
          m.gateway.cancelledAmount,
          m.detail,
          m.foundAt,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One field: numbers as they are, null empty; text quoted when it holds a comma, quote or line
 * break (quotes doubled), and text a spreadsheet would run as a formula (=, +, -, @ first: an
 * order id is the merchant's free text) led by an apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
