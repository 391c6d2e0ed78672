import { byteLength, isEncodable, PaystoryCharset } from '../charset/charset';
import { FieldProblem, PaystoryRequestInvalidError } from '../errors/paystory-errors';
import { ENDPOINTS, EndpointKey } from './endpoint-catalogue';
import { FieldSpec } from './field-spec';

/**
 * Checks a request against the endpoint catalogue before anything is sent: unknown names,
 * missing required values, sizes in bytes of the request's charset, and value shapes.
 * Returns the problems (empty when the request is sendable).
 */
export function findRequestProblems(
  endpoint: EndpointKey,
  fields: Record<string, string | undefined>,
  charset: PaystoryCharset,
): FieldProblem[] {
  const spec = ENDPOINTS[endpoint];
  const known = new Set(spec.request.map((f) => f.name));
  const problems: FieldProblem[] = [];
  for (const name of Object.keys(fields)) {
    if (!known.has(name))
      problems.push({
        field: name,
        reason: 'unknown_field',
        message: `${name} is not a field of ${spec.path || endpoint} (${spec.section})`,
      });
  }
  for (const f of spec.request) {
    const required = f.required && !(f.optionalWhen && fields[f.optionalWhen.field] === f.optionalWhen.value);
    const problem = checkField({ ...f, required }, fields[f.name], charset);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Throws {@link PaystoryRequestInvalidError} naming every bad field; nothing is sent. */
export function assertRequestValid(
  endpoint: EndpointKey,
  fields: Record<string, string | undefined>,
  charset: PaystoryCharset,
): void {
  const problems = findRequestProblems(endpoint, fields, charset);
  if (problems.length > 0) throw new PaystoryRequestInvalidError(endpoint, problems);
}

function checkField(f: FieldSpec, value: string | undefined, charset: PaystoryCharset): FieldProblem | undefined {
  if (value === undefined || value === '') {
    return f.required ? { field: f.name, reason: 'missing', message: `${f.name} is required` } : undefined;
  }
  if (!isEncodable(value, charset)) {
    return { field: f.name, reason: 'not_encodable', message: `${f.name} has characters that ${charset} cannot carry` };
  }
  const bytes = byteLength(value, charset);
  if (f.fixedBytes !== undefined && bytes !== f.fixedBytes) {
    return {
      field: f.name,
      reason: 'wrong_length',
      message: `${f.name} must be exactly ${f.fixedBytes} bytes in ${charset} (got ${bytes})`,
    };
  }
  if (f.maxBytes !== undefined && bytes > f.maxBytes) {
    return {
      field: f.name,
      reason: 'too_long',
      message: `${f.name} is ${bytes} bytes in ${charset}; the gateway takes at most ${f.maxBytes}`,
    };
  }
  switch (f.kind) {
    case 'amount':
      return /^(0|[1-9]\d*)$/.test(value)
        ? undefined
        : {
            field: f.name,
            reason: 'not_integer_amount',
            message: `${f.name} must be a whole number of KRW (got "${value}")`,
          };
    case 'digits':
      return /^\d+$/.test(value)
        ? undefined
        : { field: f.name, reason: 'not_digits', message: `${f.name} must be digits only` };
    case 'timestamp':
      return /^\d{14}$/.test(value)
        ? undefined
        : { field: f.name, reason: 'not_timestamp', message: `${f.name} must be yyyyMMddHHmmss` };
    default:
      return undefined;
  }
}
