import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { createHmac } from 'node:crypto';
import type { Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import { idempotencyScope, type AuthenticatedRequest } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { faultPoint } from '../common/faults/fault-points';
import { databaseUnavailableReason } from '../common/errors/database-unavailable';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../common/errors/problem';
import { requestIdOf } from '../common/logging/request-id';
import { canonicalJson } from './canonical-json';
import { CLAIMS_IDEMPOTENCY_KEY_IN_ITS_WORK } from './claims-idempotency-key-in-its-work.decorator';
import { IdempotencyKeyTaken, type IdempotencyClaim } from './idempotency-claim';
import { IdempotencyStore, type Claim } from './idempotency.store';
import type { KeyClaim } from './key-claim';

export interface IdempotentRequest extends AuthenticatedRequest {
  idempotency?: IdempotencyClaim;
}

const HEADER = 'idempotency-key';

/**
 * `Idempotency-Key` on every POST and DELETE under /v1 (CONTRACT.md "Idempotency"): the same key
 * and body replay the first response, status and body, errors included, without doing anything
 * again; another body is 409; a request still in flight is 409 after a bounded wait.
 * Server errors (5xx) are not kept, so that a retry can run once the cause is gone: every resource a
 * keyed request creates is bound to the key in its own transaction, so the retry finds it. Nor is a
 * 429 (the merchant's gateway rate used up): it is answered before anything is written or sent, so
 * the request changed nothing and its retry runs afresh.
 *
 * The key is claimed before the handler runs, in a transaction of its own, except for a handler
 * marked `@ClaimsIdempotencyKeyInItsWork()` (a charge): for it the key is not even read, and the
 * handler claims it in its first write (see {@link IdempotencyClaim}); should the key be taken
 * (a retry, or a twin request), that write and everything after it is not made, and the key is
 * dealt with as any key in use: replay, 409, wait, take over.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  /** For a principal without a fingerprint key of its own (a host's): a secret every instance holds. */
  private readonly defaultFingerprintKey: string;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.defaultFingerprintKey = config.paystory.merchants[0]?.merchantKey ?? 'paystory-payments';
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const key = request.headers[HEADER];
    if (!['POST', 'DELETE'].includes(request.method) || key === undefined) return next.handle();
    const claimsInItsWork = this.reflector.get<boolean>(CLAIMS_IDEMPOTENCY_KEY_IN_ITS_WORK, context.getHandler());
    return from(
      this.handle(request, context.switchToHttp().getResponse<Response>(), String(key), next, claimsInItsWork === true),
    );
  }

  private async handle(
    request: IdempotentRequest,
    response: Response,
    key: string,
    next: CallHandler,
    claimsInItsWork: boolean,
  ): Promise<unknown> {
    if (key.length === 0 || key.length > 255)
      throw AppError.validation([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 characters' }]);
    const principal = request.principal;
    const scope = principal ? idempotencyScope(principal) : 'public';
    // Keyed by a secret (Principal.fingerprintKey): bodies can hold card data, and an unkeyed hash of them could be guessed back.
    // The matched route and its parameters, not the raw path, which may differ in case (`/V1/payments`) for the same call.
    const target = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path} ${canonicalJson(request.params ?? {})}`;
    const fingerprint = createHmac('sha256', principal?.fingerprintKey ?? this.defaultFingerprintKey)
      .update(`${target}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    // A handler that claims the key in its work gets it unread; the key is read only once found taken.
    let hold = claimsInItsWork ? this.store.unclaimedHold(scope, key, fingerprint) : undefined;
    // At most twice: a key found taken is claimed as any key in use, and a claimed key is never found taken.
    for (;;) {
      if (!hold) {
        const claim = await this.store.claim(scope, key, fingerprint);
        if (claim.kind === 'replay') return this.replay(response, claim);
        hold = this.store.holdOf(claim);
      }
      try {
        return await this.run(request, response, hold, next);
      } catch (error) {
        if (!(error instanceof IdempotencyKeyTaken)) throw error;
        hold = undefined;
      }
    }
  }

  private replay(response: Response, claim: Extract<Claim, { kind: 'replay' }>): unknown {
    response.status(claim.status);
    response.setHeader('Idempotent-Replayed', 'true');
    if (claim.status >= 400) response.type(PROBLEM_CONTENT_TYPE);
    return claim.body;
  }

  /** Runs the handler with its key, then writes the key's answer unless the handler did (or releases it). */
  private async run(request: IdempotentRequest, response: Response, claim: KeyClaim, next: CallHandler) {
    request.idempotency = claim;
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      faultPoint('idempotency.before-complete', claim.key);
      await claim.complete(response.statusCode, body);
      return body;
    } catch (error) {
      if (error instanceof IdempotencyKeyTaken) throw error;
      // The problem kept for replay is the one this request answers, its correlationId included.
      const problem = toProblem(error, requestIdOf(request));
      if (problem.status >= 500 || problem.status === 429) await this.release(claim, error);
      else await claim.complete(problem.status, problem);
      throw error;
    }
  }

  /**
   * Ends the key's lease. A release that fails is the request's failure, unless the database that
   * failed the request fails it too: one outage, one failure (the lease then runs out by itself).
   */
  private async release(claim: KeyClaim, cause: unknown): Promise<void> {
    try {
      await claim.release();
    } catch (releaseError) {
      if (databaseUnavailableReason(cause) && databaseUnavailableReason(releaseError)) return;
      throw releaseError;
    }
  }
}
