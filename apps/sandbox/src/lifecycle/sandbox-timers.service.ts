import { Injectable, OnModuleDestroy } from '@nestjs/common';

/**
 * Every timer the sandbox starts (slow answers, held connections, late processing, notification
 * retries), so that closing the sandbox stops them all and a test process exits cleanly.
 */
@Injectable()
export class SandboxTimers implements OnModuleDestroy {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  /**
   * Runs `task` after `ms` unless the sandbox closes first; `onCancel` runs instead when it does.
   * Returns a function that forgets the task (neither it nor `onCancel` will run).
   */
  after(ms: number, task: () => void, onCancel: () => void = () => undefined): () => void {
    if (this.stopped) {
      onCancel();
      return () => undefined;
    }
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      task();
    }, ms);
    this.pending.set(timer, onCancel);
    return () => {
      clearTimeout(timer);
      this.pending.delete(timer);
    };
  }

  /** Resolves true after `ms`, or false as soon as the sandbox closes. */
  delay(ms: number): Promise<boolean> {
    return new Promise((resolve) =>
      this.after(
        ms,
        () => resolve(true),
        () => resolve(false),
      ),
    );
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const [timer, onCancel] of this.pending) {
      clearTimeout(timer);
      onCancel();
    }
    this.pending.clear();
  }
}
