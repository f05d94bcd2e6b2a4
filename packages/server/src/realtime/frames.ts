import type { RawData, WebSocket } from 'ws';
import * as v from 'valibot';
import { LIMITS, type ErrorCode } from '@direturn/protocol';
import { parse } from '@direturn/protocol/schemas';

/** Drops a client that does not read: a socket buffering this much is gone or hostile. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function sendFrame(ws: WebSocket, frame: object): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.terminate();
    return;
  }
  ws.send(JSON.stringify(frame));
}

export function sendError(ws: WebSocket, code: ErrorCode, message: string, ref?: string, retryAfterMs?: number, issues?: string[]): void {
  sendFrame(ws, { type: 'error', code, message, ...(ref ? { ref } : {}), ...(retryAfterMs ? { retryAfterMs } : {}), ...(issues?.length ? { issues } : {}) });
}

export type Decoded<T> = { ok: true; frame: T } | { ok: false; code: ErrorCode; message: string; ref?: string };

const RefProbe = v.object({ clientId: v.string() });

/** Raw socket data → a validated frame, or the error to answer with. Never throws. */
export function decodeFrame<S extends v.GenericSchema>(schema: S, data: RawData, isBinary: boolean): Decoded<v.InferOutput<S>> {
  if (isBinary) return { ok: false, code: 'bad_request', message: 'Frames must be JSON text.' };
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  if (buf.byteLength > LIMITS.frameMaxBytes) {
    return { ok: false, code: 'too_large', message: `Frames may be at most ${LIMITS.frameMaxBytes} bytes.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(buf.toString('utf8'));
  } catch {
    return { ok: false, code: 'bad_request', message: 'Frame is not valid JSON.' };
  }
  const result = parse(schema, json);
  if (result.ok) return { ok: true, frame: result.value };
  const probe = v.safeParse(RefProbe, json);
  return {
    ok: false,
    code: 'bad_request',
    message: `Invalid frame: ${result.issues.join('; ')}`,
    ...(probe.success ? { ref: probe.output.clientId.slice(0, LIMITS.clientIdMaxChars) } : {}),
  };
}
