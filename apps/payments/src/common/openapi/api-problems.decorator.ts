import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';
import { ProblemDocument } from './problem.document';
import { PROBLEM_STATUSES, type ProblemStatus } from './problem-statuses';

/** The error statuses a route (or every route of a controller) can answer, each an `application/problem+json` body. */
export function ApiProblems(...statuses: ProblemStatus[]) {
  return applyDecorators(...statuses.map((status) => ApiProblem(status)));
}

/** One error status; `type` when the problem carries more than the common fields (a 422 with the `payment`). */
export function ApiProblem(status: ProblemStatus, type: Type<ProblemDocument> = ProblemDocument) {
  return applyDecorators(
    ApiExtraModels(type),
    ApiResponse({
      status,
      description: PROBLEM_STATUSES[status],
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(type) } } },
    }),
  );
}
