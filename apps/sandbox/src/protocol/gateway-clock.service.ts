import { Inject, Injectable } from '@nestjs/common';
import { toSeoulStamp } from '@app/paystory/clock/seoul-time';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';

/** The gateway's "now" as it writes it: `yyyyMMddHHmmss` in Asia/Seoul (NOTES item 11). */
@Injectable()
export class GatewayClock {
  constructor(@Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings) {}

  stamp(): string {
    return toSeoulStamp(this.settings.clock.now());
  }
}
