import type { Socket } from 'node:net';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { SANDBOX_SETTINGS, type SandboxSettings } from '../config/sandbox-settings';
import { SandboxTimers } from './sandbox-timers.service';

/**
 * Connections a "never answer" fault keeps open: held for `hangMs`, then dropped without a
 * response, as a gateway that hangs would; closing the sandbox drops them at once.
 */
@Injectable()
export class HeldConnections implements OnModuleDestroy {
  private readonly sockets = new Set<Socket>();

  constructor(
    @Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings,
    private readonly timers: SandboxTimers,
  ) {}

  /** Holds the connection `ms` (default `hangMs`), then drops it without an answer. */
  hold(res: Response, ms = this.settings.hangMs): void {
    const socket = res.socket;
    if (!socket) return;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const drop = () => {
      this.sockets.delete(socket);
      socket.destroy();
    };
    this.timers.after(ms, drop, drop);
  }

  onModuleDestroy(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
