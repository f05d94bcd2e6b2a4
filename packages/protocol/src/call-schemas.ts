/** Schemas of the call frames both sockets accept (re-exported by schemas.ts). */
import * as v from 'valibot';
import { CALL_LIMITS, CALL_MEDIA, type CallMedia } from './calls.js';

const callId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'not a call id'));
const media = v.picklist(CALL_MEDIA as unknown as [CallMedia, ...CallMedia[]], 'must be voice or video');

const candidate = v.strictObject({
  candidate: v.pipe(v.string(), v.maxLength(CALL_LIMITS.candidateMaxChars)),
  sdpMid: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(32)))),
  sdpMLineIndex: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(64)))),
  usernameFragment: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(256)))),
});

/** Only these shapes are relayed; anything else is refused, so the server never carries free data. */
export const CallSignalSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('sdp'),
    description: v.strictObject({
      type: v.picklist(['offer', 'answer'] as const),
      sdp: v.pipe(v.string(), v.startsWith('v=0', 'not a session description'), v.maxLength(CALL_LIMITS.sdpMaxChars, `must be at most ${CALL_LIMITS.sdpMaxChars} characters`)),
    }),
  }),
  v.strictObject({ kind: v.literal('ice'), candidates: v.pipe(v.array(candidate), v.minLength(1), v.maxLength(CALL_LIMITS.candidatesPerFrame)) }),
  v.strictObject({ kind: v.literal('restart') }),
  v.strictObject({ kind: v.literal('media'), audio: v.boolean(), video: v.boolean() }),
]);

// ---- both sides ----
export const CallSignalFrameSchema = v.object({ type: v.literal('call-signal'), callId, signal: CallSignalSchema });
/** Asks for ICE servers and fresh TURN credentials (a side of a call that is not over only). */
export const CallIceRequestSchema = v.object({ type: v.literal('call-ice'), callId });
/** This socket holds the call's media (after accepting or offering, and again after a reconnect). */
export const CallJoinSchema = v.object({ type: v.literal('call-join'), callId });
/** Ends the call (or withdraws the offer); `failed`: the media could not be started or connected. */
export const CallHangupSchema = v.object({ type: v.literal('call-hangup'), callId, reason: v.optional(v.picklist(['hangup', 'failed'] as const), 'hangup') });

// ---- visitor ----
export const CallAcceptSchema = v.object({ type: v.literal('call-accept'), callId, media });
/** `blocked`: the page or browser does not allow microphone or camera; `failed`: no usable device. */
export const CallDeclineSchema = v.object({ type: v.literal('call-decline'), callId, reason: v.optional(v.picklist(['declined', 'blocked', 'failed'] as const), 'declined') });

// ---- agent ----
export const CallOfferSchema = v.object({
  type: v.literal('call-offer'),
  conversationId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  media,
});

export const VisitorCallFrameSchemas = [CallAcceptSchema, CallDeclineSchema, CallHangupSchema, CallSignalFrameSchema, CallIceRequestSchema, CallJoinSchema] as const;
export const AgentCallFrameSchemas = [CallOfferSchema, CallHangupSchema, CallSignalFrameSchema, CallIceRequestSchema, CallJoinSchema] as const;

export type VisitorCallFrame = v.InferOutput<(typeof VisitorCallFrameSchemas)[number]>;
export type AgentCallFrame = v.InferOutput<(typeof AgentCallFrameSchemas)[number]>;
