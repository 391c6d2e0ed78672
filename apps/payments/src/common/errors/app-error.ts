import { ErrorCode } from './error-code';

/** One invalid field of a request. The value itself is never repeated (it may be card data). */
export interface FieldError {
  field: string;
  message: string;
}

/** Extension members of a problem document (RFC 9457) beyond type/title/status/detail. */
export interface ProblemExtensions {
  /** The gateway's result code, e.g. `3030`. */
  code?: string;
  gatewayMessage?: string;
  errors?: FieldError[];
  [member: string]: unknown;
}

/** The one exception domain code throws; the problem filter turns it into `application/problem+json`. */
export class AppError extends Error {
  constructor(
    readonly errorCode: ErrorCode,
    readonly detail: string,
    readonly extensions: ProblemExtensions = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[]): AppError {
    return new AppError(ErrorCode.ValidationFailed, errors.map((e) => e.message).join('; '), { errors });
  }

  static notFound(what: string, id: string): AppError {
    return new AppError(ErrorCode.NotFound, `No ${what} with id ${id}`);
  }
}
