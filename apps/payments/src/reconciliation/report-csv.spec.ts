import { describe, expect, it } from '@jest/globals';
import { csvField, reportCsv } from './report-csv';
import type { ReportView } from './reconciliation.view';

describe('reportCsv', () => {
  it('writes a header row and one line per mismatch, amounts as integers and empty for none', () => {
    const report = {
      date: '2026-03-01',
      runs: [
        {
          id: 'rec_1',
          merchant: 'card',
          mismatches: [
            {
              id: 'rcm_1',
              attempt: 1,
              paymentId: 'pay_1',
              orderId: 'ord,"1"',
              kind: 'missing_at_gateway',
              resolution: 'attention',
              detail: 'The gateway holds no approval for this order; the service records it APPROVED',
              ours: { status: 'APPROVED', amount: 10_000, cancelledAmount: 0 },
              gateway: { status: 'NOT_FOUND', amount: null, cancelledAmount: null },
              foundAt: '2026-03-02T03:00:00.000Z',
            },
          ],
        },
      ],
    } as unknown as ReportView;

    expect(reportCsv(report).split('\r\n')).toEqual([
      'date,merchant,run_id,attempt,mismatch_id,payment_id,order_id,kind,resolution,ours_status,ours_amount,ours_cancelled_amount,gateway_status,gateway_amount,gateway_cancelled_amount,detail,found_at',
      '2026-03-01,card,rec_1,1,rcm_1,pay_1,"ord,""1""",missing_at_gateway,attention,APPROVED,10000,0,NOT_FOUND,,,The gateway holds no approval for this order; the service records it APPROVED,2026-03-02T03:00:00.000Z',
      '',
    ]);
  });

  it('quotes line breaks and keeps a spreadsheet from running a field as a formula', () => {
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
  });
});
