import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblems } from '../../common/openapi/api-problems.decorator';

/**
 * How `POST /v1/notifications/paystory` reads in the OpenAPI document: the gateway posts its
 * fields (§10) as a form or JSON, in UTF-8 or EUC-KR, and takes the acknowledgement only once the
 * notification is stored.
 */
export function ApiGatewayNotification() {
  return applyDecorators(
    ApiOperation({
      summary: "The gateway's notiUrl (guide §10): no API key, the hash is the check",
      description:
        'Acknowledged only after it is stored; a duplicate is acknowledged again and applied once; a notification that fails its checks is stored as rejected, answered 400 and never applied; 503 when it cannot be stored, so the gateway sends it again.',
    }),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiBody({
      description: "The gateway's notification fields, as guide §10 names them",
      schema: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    ApiOkResponse({
      description: 'Stored: `{"resultCd":"0000"}` with PAYSTORY_NOTI_ACK=json (the default), an empty 200 with `http`',
      content: {
        'application/json': {
          schema: { type: 'object', properties: { resultCd: { type: 'string', example: '0000' } } },
        },
      },
    }),
    ApiProblems(400, 403, 429, 500, 503),
  );
}
