import { describe, expect, it } from '@jest/globals';
import type { TransactionRecord } from '@app/paystory';
import { compare, correctionTook, gatewaySide, type GatewaySide, type OurSide } from './comparison';

function record(fields: Partial<TransactionRecord> & { tid: string }): TransactionRecord {
  return { cancelled: false, card: {}, raw: {}, ...fields };
}

const approval = (amount: number) => record({ tid: 'T-APP', resultCode: '3001', amount });
const cancel = (tid: string, amount: number) => record({ tid, resultCode: '2001', amount, cancelled: true });
const ours = (status: OurSide['status'], amount: number, cancelledAmount = 0): OurSide => ({
  status,
  amount,
  cancelledAmount,
});
const none = new Set<string>();

describe('gatewaySide', () => {
  it('sums the cancels of the approval and names the state in the service words', () => {
    expect(gatewaySide([approval(10_000), cancel('T-C1', 3_000), cancel('T-C2', 2_000)])).toEqual({
      status: 'PARTIALLY_CANCELLED',
      amount: 10_000,
      cancelledAmount: 5_000,
      cancels: [
        { tid: 'T-C1', amount: 3_000 },
        { tid: 'T-C2', amount: 2_000 },
      ],
    });
    expect(gatewaySide([approval(10_000), cancel('T-C1', 10_000)]).status).toBe('CANCELLED');
  });

  it('is NOT_FOUND without an approval (never charged, or a refusal listed)', () => {
    expect(gatewaySide([])).toMatchObject({ status: 'NOT_FOUND', amount: null, cancelledAmount: null });
    expect(gatewaySide([record({ tid: 'T-X', resultCode: '3030' })]).status).toBe('NOT_FOUND');
  });
});

describe('compare', () => {
  const approved: GatewaySide = gatewaySide([approval(10_000)]);

  it('finds nothing when both hold the same approval and cancels', () => {
    expect(compare(ours('APPROVED', 10_000), approved, none)).toEqual([]);
    const cancelled = gatewaySide([approval(10_000), cancel('T-C1', 4_000)]);
    expect(compare(ours('PARTIALLY_CANCELLED', 10_000, 4_000), cancelled, new Set(['T-C1']))).toEqual([]);
  });

  it('finds nothing for a charge neither side holds as approved (the janitor resolves unknown ones)', () => {
    for (const status of ['DECLINED', 'UNKNOWN', 'PENDING'] as const)
      expect(compare(ours(status, 10_000), gatewaySide([]), none)).toEqual([]);
  });

  it('corrects a gateway approval of a charge held DECLINED, UNKNOWN or PENDING', () => {
    for (const status of ['DECLINED', 'UNKNOWN', 'PENDING'] as const)
      expect(compare(ours(status, 10_000), approved, none)).toEqual([
        expect.objectContaining({ kind: 'status', action: 'correct' }),
      ]);
  });

  it('corrects cancels made at the gateway that the service has no record of', () => {
    const gateway = gatewaySide([approval(10_000), cancel('T-C1', 3_000), cancel('T-C2', 2_000)]);

    expect(compare(ours('PARTIALLY_CANCELLED', 10_000, 3_000), gateway, new Set(['T-C1']))).toEqual([
      expect.objectContaining({ kind: 'cancelled_amount', action: 'correct', unrecordedCancelTids: ['T-C2'] }),
    ]);
  });

  it('asks a person when the amounts differ', () => {
    expect(compare(ours('APPROVED', 12_000), approved, none)).toEqual([
      expect.objectContaining({ kind: 'amount', action: 'attention', detail: expect.stringContaining('10000 KRW') }),
    ]);
  });

  it('asks a person when the service records more cancelled than the gateway, or a gap no unrecorded cancel explains', () => {
    expect(compare(ours('CANCELLED', 10_000, 10_000), approved, none)).toEqual([
      expect.objectContaining({ kind: 'cancelled_amount', action: 'attention' }),
    ]);
    const gateway = gatewaySide([approval(10_000), cancel('T-C1', 3_000)]);
    expect(compare(ours('PARTIALLY_CANCELLED', 10_000, 1_000), gateway, new Set(['T-C1']))).toEqual([
      expect.objectContaining({ kind: 'cancelled_amount', action: 'attention' }),
    ]);
  });

  it('asks a person when the gateway holds no approval of a payment recorded as approved', () => {
    for (const status of ['APPROVED', 'PARTIALLY_CANCELLED', 'CANCELLED'] as const)
      expect(compare(ours(status, 10_000), gatewaySide([]), none)).toEqual([
        expect.objectContaining({ kind: 'missing_at_gateway', action: 'attention' }),
      ]);
  });

  it('reports each difference of one payment: a late approval of another amount, already partly cancelled', () => {
    const gateway = gatewaySide([approval(9_000), cancel('T-C1', 1_000)]);

    expect(compare(ours('UNKNOWN', 10_000), gateway, none).map((f) => [f.kind, f.action])).toEqual([
      ['status', 'correct'],
      ['amount', 'attention'],
      ['cancelled_amount', 'correct'],
    ]);
  });
});

describe('correctionTook', () => {
  it('holds a status correction once the payment is recorded approved (a late approval cancelled by policy too)', () => {
    const [finding] = compare(ours('DECLINED', 10_000), gatewaySide([approval(10_000)]), none);

    expect(correctionTook(finding, ours('CANCELLED', 10_000, 10_000), none)).toBe(true);
    expect(correctionTook(finding, ours('DECLINED', 10_000), none)).toBe(false);
  });

  it('holds a cancel correction once every unrecorded cancel is recorded', () => {
    const [finding] = compare(ours('APPROVED', 10_000), gatewaySide([approval(10_000), cancel('T-C1', 3_000)]), none);

    expect(correctionTook(finding, ours('PARTIALLY_CANCELLED', 10_000, 3_000), new Set(['T-C1']))).toBe(true);
    expect(correctionTook(finding, ours('APPROVED', 10_000), none)).toBe(false);
  });
});
