import { Inject, Injectable } from '@nestjs/common';
import { PAYMENTS_DATA_SOURCE } from '../../database/database.constants';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config.constants';
import { OperatorSessionEntity } from '../entities/operator-session.entity';
import { OperatorEntity } from '../entities/operator.entity';
import { OperatorAccounts } from '../operators/operator-accounts';

const MINUTE = 60_000;
/** A session's last-seen time is written at most this often: reading pages should not mean a write each. */
const TOUCH_EVERY_MS = MINUTE;

export interface SignedIn {
  operator: OperatorEntity;
  session: OperatorSessionEntity;
}

/** Random, URL-safe: session tokens, CSRF tokens and form nonces. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Console sessions: the one writer of `operator_sessions`. A session ends after
 * CONSOLE_SESSION_IDLE_MINUTES without a request, CONSOLE_SESSION_MAX_HOURS after sign-in, at
 * sign-out, or when its operator is disabled.
 */
@Injectable()
export class ConsoleSessionService {
  readonly accounts: OperatorAccounts;

  constructor(
    @InjectRepository(OperatorSessionEntity, PAYMENTS_DATA_SOURCE)
    private readonly sessions: Repository<OperatorSessionEntity>,
    @InjectRepository(OperatorEntity, PAYMENTS_DATA_SOURCE) operators: Repository<OperatorEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.accounts = new OperatorAccounts(operators);
  }

  /** Opens a session for an operator whose password was just checked; returns the cookie's token. */
  async open(operator: OperatorEntity, now = new Date()): Promise<string> {
    const token = randomToken();
    // Sessions of this operator that have ended are swept here, so the table does not grow.
    await this.sessions.delete({ operatorId: operator.id, expiresAt: LessThan(now) });
    await this.sessions.insert({
      id: sessionIdOf(token),
      operatorId: operator.id,
      csrfToken: randomToken(),
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.console.sessionMaxHours * 60 * MINUTE),
    });
    return token;
  }

  /** The live session of this token and its operator, or null; a live session's last-seen time moves on. */
  async resume(token: string | undefined, now = new Date()): Promise<SignedIn | null> {
    if (!token) return null;
    const session = await this.sessions.findOneBy({ id: sessionIdOf(token) });
    if (!session) return null;
    const idleUntil = session.lastSeenAt.getTime() + this.config.console.sessionIdleMinutes * MINUTE;
    const operator = await this.accounts.findEnabled(session.operatorId);
    if (!operator || now.getTime() >= idleUntil || now >= session.expiresAt) {
      await this.sessions.delete({ id: session.id });
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.sessions.update({ id: session.id }, { lastSeenAt: now });
      session.lastSeenAt = now;
    }
    return { operator, session };
  }

  async close(token: string | undefined): Promise<void> {
    if (token) await this.sessions.delete({ id: sessionIdOf(token) });
  }
}
