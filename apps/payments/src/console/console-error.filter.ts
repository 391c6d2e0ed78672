import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { FieldError } from '../common/errors/app-error';
import { toProblem } from '../common/errors/problem';
import { requestIdOf } from '../common/logging/request-id';
import { ConsoleRefusal, type ConsoleRequest } from './session/console-request';
import { ConsoleResponder } from './views/console-responder';

/**
 * Console errors are pages, not problem documents: a GET without a session goes to sign in; a
 * refusal (401, 403, 429) or an error of the services (400 naming each field, 404, 409, 422, 502…)
 * shows what went wrong in the operator's language. The classification is the API's own (toProblem).
 */
@Catch()
export class ConsoleErrorFilter implements ExceptionFilter {
  constructor(private readonly responder: ConsoleResponder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<ConsoleRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof ConsoleRefusal) {
      if (exception.reason === 'signInRequired' && request.method === 'GET') {
        response.redirect(303, '/console/sign-in');
        return;
      }
      const signIn = exception.reason === 'signInRequired';
      this.responder.page(
        request,
        response,
        'error',
        { section: 'sign-in', title: (t) => t.errors.title, status: exception.status },
        { status: exception.status, fields: [], signIn, message: this.message(request, response, exception) },
      );
      return;
    }
    const problem = toProblem(exception, requestIdOf(request));
    if (problem.status === 429 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', '60');
    const gateway = problem.code ? ` (${String(problem.code)} ${String(problem.gatewayMessage ?? '')})` : '';
    this.responder.page(
      request,
      response,
      'error',
      { section: 'attention', title: (t) => t.errors.title, status: problem.status },
      {
        status: problem.status,
        fields: (problem.errors as FieldError[] | undefined) ?? [],
        signIn: false,
        message: `${problem.detail ?? problem.title}${gateway}`,
      },
    );
  }

  private message(request: ConsoleRequest, response: Response, refusal: ConsoleRefusal): string {
    return this.responder.labels(request, response).errors[refusal.reason];
  }
}
