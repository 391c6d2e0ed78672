import { systemClock, type Clock } from '@app/paystory/clock/clock';
import { SANDBOX_MERCHANTS } from './sandbox-merchants';
import type { NotiAckMode, SandboxMerchant, SandboxOptions, SandboxVatMode } from './sandbox-options.interface';

/** Injection token for the resolved {@link SandboxSettings}. */
export const SANDBOX_SETTINGS = Symbol('SANDBOX_SETTINGS');

/** {@link SandboxOptions} with every default filled in. */
export interface SandboxSettings {
  /** Each with its VAT setting filled in. */
  merchants: readonly (SandboxMerchant & { vatMode: SandboxVatMode })[];
  notiAckMode: NotiAckMode;
  notiUrl?: string;
  notiRetryDelaysMs: readonly number[];
  hangMs: number;
  latencyMs: number;
  slowMs: number;
  lateMs: number;
  lateHoldMs: number;
  clock: Clock;
}

export const DEFAULT_NOTI_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
export const DEFAULT_HANG_MS = 120_000;
export const DEFAULT_SLOW_MS = 3_000;
export const DEFAULT_LATE_MS = 2_000;
export const DEFAULT_LATE_HOLD_MS = 250;

export function resolveSandboxSettings(options: SandboxOptions = {}): SandboxSettings {
  const merchants = options.merchants ?? [SANDBOX_MERCHANTS.card, SANDBOX_MERCHANTS.phone];
  for (const m of merchants) {
    // The gateway's MIDs are "10자리 고정" (§4.1); a sandbox that took others would hide that bug.
    if (m.mid.length !== 10) throw new Error(`Sandbox merchant id "${m.mid}" must be exactly 10 characters`);
    if (!m.merchantKey) throw new Error(`Sandbox merchant ${m.mid} has no merchantKey`);
  }
  const vatMode = options.vatMode ?? 'gateway';
  return {
    merchants: merchants.map((m) => ({ ...m, vatMode: m.vatMode ?? vatMode })),
    notiAckMode: options.notiAckMode ?? 'json',
    notiUrl: options.notiUrl || undefined,
    notiRetryDelaysMs: options.notiRetryDelaysMs ?? DEFAULT_NOTI_RETRY_DELAYS_MS,
    hangMs: options.hangMs ?? DEFAULT_HANG_MS,
    latencyMs: options.latencyMs ?? 0,
    slowMs: options.slowMs ?? DEFAULT_SLOW_MS,
    lateMs: options.lateMs ?? DEFAULT_LATE_MS,
    lateHoldMs: options.lateHoldMs ?? DEFAULT_LATE_HOLD_MS,
    clock: options.clock ?? systemClock,
  };
}
