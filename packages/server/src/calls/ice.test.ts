import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IceServers, turnCredentials } from './ice.js';

// The TURN REST scheme, as coturn's `use-auth-secret` checks it: computed here again by hand.
describe('TURN credentials', () => {
  it('are <expiry>:<id> and base64(HMAC-SHA1(secret, username))', () => {
    const now = Date.UTC(2026, 11, 20, 12, 0, 0);
    const c = turnCredentials('a shared secret of length', 3600, now, 'abc123');
    expect(c.username).toBe(`${now / 1000 + 3600}:abc123`);
    expect(c.credential).toBe(createHmac('sha1', 'a shared secret of length').update(c.username).digest('base64'));
    expect(c.expiresAt).toBe(now + 3_600_000);
    // The RFC 2104 test vector 2 of HMAC-SHA1, so the formula is the standard one.
    expect(createHmac('sha1', 'Jefe').update('what do ya want for nothing?').digest('hex')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });

  it('are new for every request, with a random id that names no conversation', () => {
    const a = turnCredentials('secret-secret-secret', 60);
    const b = turnCredentials('secret-secret-secret', 60);
    expect(a.username).not.toBe(b.username);
    expect(a.username).toMatch(/^\d{10}:[A-Za-z0-9_-]{12}$/);
  });
});

describe('ICE servers from the configuration', () => {
  it('gives STUN as configured, TURN with minted credentials, and the transport policy', () => {
    const ice = new IceServers({ stunUrls: ['stun:stun.example.org:3478'], turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], turnSecret: 'x'.repeat(32), turnTtlSeconds: 600, iceTransportPolicy: 'relay' });
    const now = 1_800_000_000_000;
    const config = ice.mint(now);
    expect(config.iceTransportPolicy).toBe('relay');
    expect(config.expiresAt).toBe(now + 600_000);
    expect(config.iceServers[0]).toEqual({ urls: ['stun:stun.example.org:3478'] });
    const turn = config.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349']);
    expect(turn.credential).toBe(createHmac('sha1', 'x'.repeat(32)).update(turn.username!).digest('base64'));
    expect(ice.hasTurn).toBe(true);
  });

  it('without TURN has no credentials and no expiry; without anything an empty list (direct connections only)', () => {
    expect(new IceServers({ stunUrls: ['stun:a.example:3478'], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 3600, iceTransportPolicy: 'all' }).mint()).toEqual({ iceServers: [{ urls: ['stun:a.example:3478'] }], iceTransportPolicy: 'all' });
    expect(new IceServers({ stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 3600, iceTransportPolicy: 'all' }).mint()).toEqual({ iceServers: [], iceTransportPolicy: 'all' });
  });
});
