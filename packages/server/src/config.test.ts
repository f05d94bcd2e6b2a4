import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('DIRETURN_AUDIT_RETENTION_DAYS', () => {
  it('defaults to 365 days', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(365);
  });

  it('takes a whole number of days from 1 to 3650', () => {
    expect(loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: '1' }).auditRetentionDays).toBe(1);
    expect(loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: '30' }).auditRetentionDays).toBe(30);
    expect(loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: '3650' }).auditRetentionDays).toBe(3650);
  });

  it.each(['0', '-1', '3651', '1.5', 'abc', '', 'one year'])('rejects %j with one readable line naming the variable', (value) => {
    const error = (() => {
      try {
        loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: value });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe(
      'Invalid configuration:\n  DIRETURN_AUDIT_RETENTION_DAYS: DIRETURN_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650',
    );
  });
});

describe('callback requests', () => {
  it('delete numbers 14 days after the last window and allow 30 requests per address and hour by default', () => {
    expect(loadConfig({})).toMatchObject({ callbackRetentionDays: 14, callbackRequestsPerHour: 30 });
    expect(loadConfig({ DIRETURN_CALLBACK_RETENTION_DAYS: '3', DIRETURN_CALLBACK_REQUESTS_PER_HOUR: '100' })).toMatchObject({ callbackRetentionDays: 3, callbackRequestsPerHour: 100 });
  });

  it.each([['DIRETURN_CALLBACK_RETENTION_DAYS', '0'], ['DIRETURN_CALLBACK_RETENTION_DAYS', '1.5'], ['DIRETURN_CALLBACK_REQUESTS_PER_HOUR', 'many']])('rejects %s=%j', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});

describe('DIRETURN_DEMO', () => {
  it('defaults to on only while nothing says where the server is reached (a try-out on localhost)', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ DIRETURN_ADMIN_EMAIL: 'a@example.org', DIRETURN_ADMIN_PASSWORD: 'a long enough password' }).demo).toBe(true);
    expect(loadConfig({ DIRETURN_PUBLIC_URL: 'https://chat.example.org' }).demo).toBe(false);
    expect(loadConfig({ DIRETURN_ALLOWED_HOSTS: 'direturn.lan' }).demo).toBe(false);
    expect(loadConfig({ DIRETURN_PUBLIC_URL: 'https://chat.example.org', DIRETURN_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ DIRETURN_DEMO: 'false' }).demo).toBe(false);
  });
});

describe('allowed hosts', () => {
  it("are the public URL's host and DIRETURN_ALLOWED_HOSTS; scheme or port is an error", () => {
    expect(loadConfig({}).allowedHosts).toEqual(['localhost']);
    expect(loadConfig({ DIRETURN_PUBLIC_URL: 'https://Chat.Example.org/', DIRETURN_ALLOWED_HOSTS: ' direturn.lan, 192.168.1.20 ' }).allowedHosts).toEqual([
      'chat.example.org',
      'direturn.lan',
      '192.168.1.20',
    ]);
    expect(() => loadConfig({ DIRETURN_ALLOWED_HOSTS: 'https://x.example' })).toThrow('DIRETURN_ALLOWED_HOSTS must be host names');
    expect(() => loadConfig({ DIRETURN_ALLOWED_HOSTS: 'x.example:8080' })).toThrow('DIRETURN_ALLOWED_HOSTS must be host names');
  });
});

describe('DIRETURN_EMAIL_*', () => {
  it('defaults to a check every 15 s, a one-minute lease, a 2 s first reconnect, a look every 2 minutes', () => {
    expect(loadConfig({}).channels.email).toEqual({ checkMs: 15_000, leaseMs: 60_000, reconnectMs: 2000, pollMs: 120_000 });
  });

  it('makes the lease last at least three checks', () => {
    expect(loadConfig({ DIRETURN_EMAIL_CHECK_MS: '30000' }).channels.email.leaseMs).toBe(90_000);
    expect(loadConfig({ DIRETURN_EMAIL_CHECK_MS: '100', DIRETURN_EMAIL_LEASE_MS: '300' }).channels.email.leaseMs).toBe(300);
    expect(() => loadConfig({ DIRETURN_EMAIL_CHECK_MS: '1000', DIRETURN_EMAIL_LEASE_MS: '2000' })).toThrow('DIRETURN_EMAIL_LEASE_MS must be at least three times DIRETURN_EMAIL_CHECK_MS');
  });

  it.each(['0', '5', '1.5', 'abc'])('rejects %j', (value) => {
    expect(() => loadConfig({ DIRETURN_EMAIL_RECONNECT_MS: value })).toThrow(/DIRETURN_EMAIL_RECONNECT_MS/);
  });
});

describe('calls', () => {
  it('take STUN and TURN servers as comma-separated lists, TURN only with a shared secret', () => {
    expect(loadConfig({}).calls).toEqual({ stunUrls: [], turnUrls: [], turnSecret: undefined, turnTtlSeconds: 3600, iceTransportPolicy: 'all', graceMs: 20_000 });
    const c = loadConfig({
      DIRETURN_STUN_URLS: 'stun:turn.example.org:3478',
      DIRETURN_TURN_URLS: ' turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349 ',
      DIRETURN_TURN_SECRET: 'a'.repeat(32),
      DIRETURN_TURN_TTL_SECONDS: '600',
      DIRETURN_ICE_TRANSPORT_POLICY: 'relay',
      DIRETURN_CALL_GRACE_SECONDS: '5',
    }).calls;
    expect(c).toEqual({ stunUrls: ['stun:turn.example.org:3478'], turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], turnSecret: 'a'.repeat(32), turnTtlSeconds: 600, iceTransportPolicy: 'relay', graceMs: 5000 });
  });

  it('refuse a TURN server without a secret, a short secret, relay without TURN, and URLs of the wrong kind', () => {
    expect(() => loadConfig({ DIRETURN_TURN_URLS: 'turn:t.example:3478' })).toThrow('DIRETURN_TURN_URLS needs DIRETURN_TURN_SECRET');
    expect(() => loadConfig({ DIRETURN_TURN_URLS: 'turn:t.example:3478', DIRETURN_TURN_SECRET: 'short' })).toThrow('at least 16 characters');
    expect(() => loadConfig({ DIRETURN_ICE_TRANSPORT_POLICY: 'relay' })).toThrow('needs a TURN server');
    expect(() => loadConfig({ DIRETURN_STUN_URLS: 'turn:t.example:3478' })).toThrow('DIRETURN_STUN_URLS must be stun:');
    expect(() => loadConfig({ DIRETURN_TURN_URLS: 'https://t.example', DIRETURN_TURN_SECRET: 'a'.repeat(20) })).toThrow('DIRETURN_TURN_URLS must be turn:');
    expect(() => loadConfig({ DIRETURN_TURN_TTL_SECONDS: '10' })).toThrow('DIRETURN_TURN_TTL_SECONDS');
  });
});
