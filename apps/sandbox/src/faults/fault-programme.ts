import { BadRequestException } from '@nestjs/common';
import { isSuccess } from '@app/paystory/catalogue/result-codes';
import type { PlannedFault } from './fault-plan.service';
import {
  DECLINABLE_ENDPOINTS,
  FAULT_NAMES,
  FAULTABLE_ENDPOINTS,
  isFaultableEndpoint,
  isFaultName,
  TARGETABLE_BY,
} from './fault.types';

/** The longest `delayMs` a late-processing fault accepts: an hour. */
const MAX_DELAY_MS = 3_600_000;

/** A programme as `POST /__sandbox/faults` takes it: what to play, for which calls, how many times. */
export interface FaultProgramme {
  fault: Omit<PlannedFault, 'remaining'>;
  count: number;
}

/**
 * Reads `{ endpoint, fault, count?, ordNo?, tid?, delayMs?, code? }`, or throws a 400
 * `{ field, message }` naming the first thing wrong. `null` counts as absent.
 */
export function readFaultProgramme(body: Record<string, unknown>): FaultProgramme {
  const { endpoint, fault } = body;
  if (!isFaultableEndpoint(endpoint))
    throw refused('endpoint', `endpoint must be one of ${FAULTABLE_ENDPOINTS.join(', ')}`);
  if (!isFaultName(fault)) throw refused('fault', `fault must be one of ${FAULT_NAMES.join(', ')}`);
  if (fault === 'decline' && !DECLINABLE_ENDPOINTS.includes(endpoint))
    throw refused('fault', `decline is a card company's refusal: only ${DECLINABLE_ENDPOINTS.join(', ')} can play it`);
  const count = body.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    throw refused('count', 'count must be a positive integer');

  const programme: FaultProgramme = { fault: { endpoint, fault }, count };
  for (const target of ['ordNo', 'tid'] as const) {
    const value = body[target] ?? undefined;
    if (value === undefined) continue;
    if (!TARGETABLE_BY[endpoint].includes(target))
      throw refused(target, `a ${endpoint} call does not name its order by ${target}`);
    if (typeof value !== 'string' || value === '') throw refused(target, `${target} must be a non-empty string`);
    programme.fault[target] = value;
  }
  const delayMs = body.delayMs ?? undefined;
  if (delayMs !== undefined) {
    if (fault !== 'late-processing') throw refused('delayMs', 'delayMs applies to the late-processing fault only');
    if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)
      throw refused('delayMs', `delayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
    programme.fault.delayMs = delayMs;
  }
  const code = body.code ?? undefined;
  if (fault === 'answer-code-after-processing' && code === undefined)
    throw refused('code', 'answer-code-after-processing needs the code to answer');
  if (code !== undefined) {
    if (fault !== 'decline' && fault !== 'answer-code-after-processing')
      throw refused('code', 'code applies to the decline and answer-code-after-processing faults only');
    if (typeof code !== 'string' || !/^[0-9A-Z]{4}$/.test(code))
      throw refused('code', 'code must be 4 digits or capital letters');
    if (fault === 'decline' && isSuccess(code)) throw refused('code', 'a decline cannot answer a success code');
    programme.fault.code = code;
  }
  return programme;
}

function refused(field: string, message: string): BadRequestException {
  return new BadRequestException({ field, message });
}
