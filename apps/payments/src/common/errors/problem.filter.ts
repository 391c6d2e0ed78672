import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdOf } from '../logging/request-id';
import { PROBLEM_CONTENT_TYPE, SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS, toProblem } from './problem';

/** Every error leaves the service as `application/problem+json`, never a stack trace or a gateway payload. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(exception, requestIdOf(host.switchToHttp().getRequest<Request>()));
    if (response.headersSent) return;
    // A 429's guard has already set the wait its limit gives, or the problem names it; a 503 gets a short one.
    if (problem.status === 429 && typeof problem.retryAfterSeconds === 'number' && !response.hasHeader('Retry-After'))
      response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    if (problem.status === 503 && !response.hasHeader('Retry-After'))
      response.setHeader('Retry-After', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
