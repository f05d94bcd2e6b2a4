import { describe, expect, it } from 'vitest';
import { signPayload, verifyHandshake, verifySignature } from './verify.js';

const query = (q: Record<string, string>) => (name: string) => q[name];

describe('the subscription handshake', () => {
  const ok = { 'hub.mode': 'subscribe', 'hub.verify_token': 'the-verify-token', 'hub.challenge': '1158201444' };

  it('answers the challenge for the right token', () => {
    expect(verifyHandshake(query(ok), 'the-verify-token')).toEqual({ ok: true, challenge: '1158201444' });
  });

  it('refuses a wrong, missing or empty token, another mode, no challenge, and an account without a token', () => {
    expect(verifyHandshake(query({ ...ok, 'hub.verify_token': 'the-verify-tokeN' }), 'the-verify-token').ok).toBe(false);
    expect(verifyHandshake(query({ ...ok, 'hub.verify_token': 'the-verify-token-' }), 'the-verify-token').ok).toBe(false);
    expect(verifyHandshake(query({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }), 'the-verify-token').ok).toBe(false);
    expect(verifyHandshake(query({ ...ok, 'hub.verify_token': '' }), 'the-verify-token').ok).toBe(false);
    expect(verifyHandshake(query({ ...ok, 'hub.mode': 'unsubscribe' }), 'the-verify-token').ok).toBe(false);
    expect(verifyHandshake(query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'the-verify-token' }), 'the-verify-token').ok).toBe(false);
    expect(verifyHandshake(query(ok), undefined).ok).toBe(false);
    expect(verifyHandshake(query(ok), '').ok).toBe(false);
  });

  it('never echoes markup as the challenge', () => {
    expect(verifyHandshake(query({ ...ok, 'hub.challenge': '<script>alert(1)</script>' }), 'the-verify-token').ok).toBe(false);
    expect(verifyHandshake(query({ ...ok, 'hub.challenge': 'x'.repeat(257) }), 'the-verify-token').ok).toBe(false);
  });
});

describe('X-Hub-Signature-256', () => {
  const secret = 'app-secret-0123456789abcdef';
  // Meta escapes non-ASCII and slashes in the JSON it signs: the raw bytes count, not the parsed value.
  const raw = Buffer.from('{"object":"page","entry":[{"text":"Gr\\u00fc\\u00dfe \\/ hello"}]}');

  it('accepts the HMAC-SHA256 of the raw bytes with the app secret (hex, either case)', () => {
    const header = signPayload(secret, raw);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(secret, raw, header)).toBe('valid');
    expect(verifySignature(secret, raw, `sha256=${header.slice(7).toUpperCase()}`)).toBe('valid');
  });

  it('refuses the signature of the re-serialised JSON, another secret, another body, a truncated or malformed header', () => {
    const header = signPayload(secret, raw);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
    expect(verifySignature(secret, reserialised, header)).toBe('invalid');
    expect(verifySignature('another-secret', raw, header)).toBe('invalid');
    expect(verifySignature(secret, Buffer.concat([raw, Buffer.from(' ')]), header)).toBe('invalid');
    expect(verifySignature(secret, raw, header.slice(0, -2))).toBe('invalid');
    expect(verifySignature(secret, raw, `sha1=${header.slice(7)}`)).toBe('invalid');
    expect(verifySignature(secret, raw, 'sha256=')).toBe('invalid');
  });

  it('tells a missing header apart, and never accepts without an app secret', () => {
    expect(verifySignature(secret, raw, undefined)).toBe('missing');
    expect(verifySignature(secret, raw, '')).toBe('missing');
    expect(verifySignature(undefined, raw, signPayload('', raw))).toBe('invalid');
    expect(verifySignature('', raw, signPayload('', raw))).toBe('invalid');
  });
});
