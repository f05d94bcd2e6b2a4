import { describe, expect, it } from 'vitest';
import { CALL_LIMITS, callMinutes, callQuality, callRecordBody, parseCallRecord } from './index.js';
import { AgentFrameSchema, parse, VisitorFrameSchema } from './schemas.js';

const CALL = 'c4llIdAbcdefgh';
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

describe('call frames', () => {
  it('accepts what each side may send, and only that', () => {
    const visitor = (f: unknown) => parse(VisitorFrameSchema, f).ok;
    const agent = (f: unknown) => parse(AgentFrameSchema, f).ok;
    expect(visitor({ type: 'call-accept', callId: CALL, media: 'video' })).toBe(true);
    expect(visitor({ type: 'call-decline', callId: CALL, reason: 'blocked' })).toBe(true);
    expect(visitor({ type: 'call-offer', conversationId: 'x', media: 'video' })).toBe(false);
    expect(agent({ type: 'call-offer', conversationId: 'x', media: 'voice' })).toBe(true);
    expect(agent({ type: 'call-accept', callId: CALL, media: 'video' })).toBe(false);
    expect(agent({ type: 'call-offer', conversationId: 'x', media: 'screen' })).toBe(false);
    for (const side of [visitor, agent]) {
      expect(side({ type: 'call-hangup', callId: CALL })).toBe(true);
      expect(side({ type: 'call-ice', callId: CALL })).toBe(true);
      expect(side({ type: 'call-join', callId: CALL })).toBe(true);
      expect(side({ type: 'call-ice', callId: 'short' })).toBe(false);
    }
  });

  it('relays only session descriptions, candidates, restart requests and media flags, within their limits', () => {
    const ok = (signal: unknown) => parse(VisitorFrameSchema, { type: 'call-signal', callId: CALL, signal }).ok;
    expect(ok({ kind: 'sdp', description: { type: 'offer', sdp: SDP } })).toBe(true);
    expect(ok({ kind: 'sdp', description: { type: 'pranswer', sdp: SDP } })).toBe(false);
    expect(ok({ kind: 'sdp', description: { type: 'answer', sdp: 'hello' } })).toBe(false);
    expect(ok({ kind: 'sdp', description: { type: 'answer', sdp: SDP + 'a'.repeat(CALL_LIMITS.sdpMaxChars) } })).toBe(false);
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' };
    expect(ok({ kind: 'ice', candidates: [candidate] })).toBe(true);
    expect(ok({ kind: 'ice', candidates: [] })).toBe(false);
    expect(ok({ kind: 'ice', candidates: Array(CALL_LIMITS.candidatesPerFrame + 1).fill(candidate) })).toBe(false);
    // No free data rides along: unknown fields are refused, not passed on.
    expect(ok({ kind: 'ice', candidates: [{ ...candidate, note: 'hi' }] })).toBe(false);
    expect(ok({ kind: 'media', audio: false, video: true })).toBe(true);
    expect(ok({ kind: 'restart' })).toBe(true);
    expect(ok({ kind: 'restart', text: 'hello' })).toBe(false);
    expect(ok({ kind: 'chat', body: 'hello' })).toBe(false);
  });
});

describe('the call record', () => {
  it('keeps the kind and the length in seconds, nothing else', () => {
    expect(callRecordBody('video', 125.4)).toBe('call:video:125');
    expect(parseCallRecord('call:voice:61')).toEqual({ media: 'voice', seconds: 61 });
    expect(parseCallRecord('call:video:abc')).toBeUndefined();
    expect(parseCallRecord('claimed')).toBeUndefined();
    expect([0, 20, 89, 90, 3600].map(callMinutes)).toEqual([1, 1, 1, 2, 60]);
  });

  it('rates the connection by round-trip time and loss', () => {
    expect(callQuality(0.05, 0)).toBe('good');
    expect(callQuality(undefined, undefined)).toBe('good');
    expect(callQuality(0.4, 0.01)).toBe('fair');
    expect(callQuality(0.1, 0.05)).toBe('fair');
    expect(callQuality(0.8, 0)).toBe('poor');
    expect(callQuality(0.1, 0.2)).toBe('poor');
  });
});
