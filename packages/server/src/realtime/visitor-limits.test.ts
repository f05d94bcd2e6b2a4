import { expect, it } from 'vitest';
import { MemoryStore } from '../cluster/ephemeral-store.js';
import { VisitorLimits } from './visitor-limits.js';

const opts = { siteConnectionsPerMinute: 2, siteNewConversationsPerMinute: 1, clientConnectionsPerMinute: 2 };

it('refuses past a limit with the time to wait', async () => {
  const limits = new VisitorLimits(new MemoryStore(), opts);
  expect(await limits.clientConnection('client')).toBe(0);
  expect(await limits.clientConnection('client')).toBe(0);
  expect(await limits.clientConnection('client')).toBeGreaterThan(0);
  expect(await limits.siteConnection('site')).toBe(0);
  expect(await limits.siteConnection('site')).toBe(0);
  expect(await limits.siteConnection('site')).toBeGreaterThan(0);
  expect(await limits.newConversation('site')).toBe(0);
  expect(await limits.newConversation('site')).toBeGreaterThan(25_000);
});

it('lets visitors through, and says so, when the shared store does not answer (Redis restarting)', async () => {
  const broken = new MemoryStore();
  broken.rate = () => Promise.reject(new Error('Connection is closed.'));
  const errors: string[] = [];
  const limits = new VisitorLimits(broken, opts, (err) => errors.push(err.message));
  expect(await limits.clientConnection('client')).toBe(0);
  expect(await limits.siteConnection('site')).toBe(0);
  expect(await limits.newConversation('site')).toBe(0);
  expect(errors).toEqual(['Connection is closed.', 'Connection is closed.', 'Connection is closed.']);
});
