import type { Context } from 'hono';
import type { GenericSchema, InferOutput } from 'valibot';
import { LIMITS } from '@direturn/protocol';
import { parse } from '@direturn/protocol/schemas';
import { DomainError } from '../shared/errors.js';

/** Reads a JSON body within the size limit and validates it; bad input becomes a 400/413, never a crash. */
export async function readJson<S extends GenericSchema>(c: Context, schema: S, maxBytes: number = LIMITS.httpBodyMaxBytes): Promise<InferOutput<S>> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > maxBytes) throw new DomainError('too_large', `Request body is larger than ${maxBytes} bytes.`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new DomainError('too_large', `Request body is larger than ${maxBytes} bytes.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new DomainError('bad_request', 'Request body is not valid JSON.');
  }
  return validate(schema, data);
}

export function validate<S extends GenericSchema>(schema: S, data: unknown): InferOutput<S> {
  const result = parse(schema, data);
  if (!result.ok) throw new DomainError('bad_request', 'The request is not valid.', result.issues, result.details);
  return result.value;
}
