import type { Build } from './build';

/** One ratio of issue 17 against its target. `atMost`: the target is an upper bound. */
export interface Ratio {
  what: string;
  value: number;
  target: number;
  atMost?: boolean;
  met: boolean;
}

/** What one benchmark measured: its ratios, the figures behind them, and what it checked. */
export interface BenchmarkResult {
  name: string;
  ratios: Ratio[];
  figures: Record<string, number | string>;
  checked: string;
  /** Set when the benchmark could not finish or a correctness check failed. */
  error?: string;
  loadAverageBefore: number;
}

export interface BenchmarkContext {
  build: Build;
  quick: boolean;
}

export function ratio(what: string, value: number, target: number, atMost = false): Ratio {
  return { what, value, target, atMost, met: atMost ? value <= target : value >= target };
}

/** Sizes: the issue's, or a smaller one for `--quick`. */
export const size = (context: BenchmarkContext, full: number, quick: number): number => (context.quick ? quick : full);

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
