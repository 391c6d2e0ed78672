import type { LoggerService } from '@nestjs/common';
import type { Clock } from '@app/paystory/clock/clock';
import type { SandboxVatMode } from '../transactions/vat-split';

export type { SandboxVatMode } from '../transactions/vat-split';

/** One merchant the sandbox knows: its 10-character MID and made-up key. */
export interface SandboxMerchant {
  mid: string;
  merchantKey: string;
  /** The merchant's VAT setting (§5.3, §7.3); default: the sandbox's {@link SandboxOptions.vatMode}. */
  vatMode?: SandboxVatMode;
}

/** How the sandbox decides a back-end notification was received (§10, "수신성공 기준"). */
export type NotiAckMode = 'json' | 'http';

/** Everything `startSandbox` and `SandboxModule.forRoot` accept; every field is optional. */
export interface SandboxOptions {
  /** TCP port; 0 picks any free port (default 0). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** The merchants the sandbox accepts (default: both {@link SANDBOX_MERCHANTS}). */
  merchants?: SandboxMerchant[];
  /**
   * The VAT setting of merchants that do not name their own: `gateway` (the gateway splits each amount,
   * default) or `amounts` (by amount sent: every charge and cancel must carry goodsSplAmt, goodsVat, goodsSvsAmt).
   */
  vatMode?: SandboxVatMode;
  /** `json`: acknowledged by HTTP 200 with body `{"resultCd":"0000"}`; `http`: by any HTTP 200 (default `json`). */
  notiAckMode?: NotiAckMode;
  /** The notiUrl "set in the merchant console", used when a request carries none (default: none, nothing is sent). */
  notiUrl?: string;
  /** Delays in ms between notification attempts; attempts = delays + 1 (default 1s, 2s, 5s, 10s, 30s, 60s). */
  notiRetryDelaysMs?: number[];
  /** How long a "never answer" fault holds the connection before dropping it, in ms (default 120 000). */
  hangMs?: number;
  /** How long after its arrival every server-to-server request is answered, in ms, its processing inside that time: the network and gateway time of a real call (default 0). */
  latencyMs?: number;
  /** Delay of a "slow answer" fault, in ms (default 3 000). */
  slowMs?: number;
  /** How long after arrival a "late processing" fault processes the request, in ms (default 2 000). */
  lateMs?: number;
  /** How long a "late processing" fault holds the connection before dropping it unanswered, in ms (default 250). */
  lateHoldMs?: number;
  /** Source of "now" for every stamp the sandbox writes (appDtm, ids, notification ediDate). */
  clock?: Clock;
  /** `false` for silence; default: Nest's logger at `error` and `warn`. */
  logger?: false | LoggerService;
}
