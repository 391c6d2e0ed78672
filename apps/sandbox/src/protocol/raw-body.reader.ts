import type { Request } from 'express';
import { decodeForm, parseCharset, type PaystoryCharset } from '@app/paystory/charset/charset';

/** A request body of form fields, decoded in the charset the sender used. */
export interface DecodedForm {
  fields: Record<string, string>;
  charset: PaystoryCharset;
}

/** The largest body the sandbox reads; a gateway request is a few kilobytes at most. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * The request's raw bytes. The sandbox runs without body parsers because express's urlencoded
 * parser cannot read EUC-KR; when an embedding app kept them, `rawBody: true` still gives the bytes.
 */
export async function readRawBody(req: Request): Promise<Buffer> {
  const kept = (req as Request & { rawBody?: Buffer }).rawBody;
  if (Buffer.isBuffer(kept)) return kept;
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A form body in UTF-8 or EUC-KR: the charset comes from the Content-Type `charset=` parameter,
 * else from the form's own `charSet` field (§4.1, §4.3), else UTF-8.
 */
export async function readFormBody(req: Request): Promise<DecodedForm> {
  const raw = await readRawBody(req);
  const charset = charsetOf(req.headers['content-type'], raw.toString('latin1'));
  return { fields: decodeForm(raw, charset), charset };
}

/** The query string of a GET (§8.2: UTF-8), decoded with the same rules as a form body. */
export function readQueryString(req: Request): DecodedForm {
  const url = req.originalUrl ?? req.url;
  const at = url.indexOf('?');
  const query = at < 0 ? '' : url.slice(at + 1);
  return { fields: decodeForm(query, 'UTF-8'), charset: 'UTF-8' };
}

/** A JSON body for the sandbox's own test endpoints; an empty body is an empty object. */
export async function readJsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = (await readRawBody(req)).toString('utf8').trim();
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function charsetOf(contentType: string | undefined, latin1Body: string): PaystoryCharset {
  const declared = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (declared) return parseCharset(declared);
  // Field names and charset names are ASCII, so the bytes can be searched before decoding.
  const field = /(?:^|&)charSet=([^&]*)/.exec(latin1Body)?.[1];
  return parseCharset(field === undefined ? undefined : decodeForm(`v=${field}`, 'UTF-8').v);
}
