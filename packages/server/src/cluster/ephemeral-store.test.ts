import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore, RedisStore, type EphemeralStore } from './ephemeral-store.js';

const REDIS_URL = process.env.DIRETURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

/** Two stores that must agree, as two processes would: one Map for memory, two connections to one Redis. */
function pair(kind: 'memory' | 'redis'): [EphemeralStore, EphemeralStore] {
  if (kind === 'memory') {
    const one = new MemoryStore();
    return [one, one];
  }
  const prefix = `direturn-test-${randomBytes(4).toString('hex')}:`;
  const [a, b] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  clients.push(a, b);
  return [new RedisStore(a, prefix), new RedisStore(b, prefix)];
}

describe.each(['memory', 'redis'] as const)('EphemeralStore (%s)', (kind) => {
  it('keeps a value until its time is up; take gives it to one caller only', async () => {
    const [a, b] = pair(kind);
    await a.set('challenge', 'x', 200);
    expect(await b.get('challenge')).toBe('x');
    const taken = await Promise.all([a.take('challenge'), b.take('challenge')]);
    expect(taken.filter((v) => v === 'x')).toHaveLength(1);
    await a.set('short', 'y', 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await b.get('short')).toBeUndefined();
  });

  it('lets exactly one of many callers claim a key, and counts atomically', async () => {
    const [a, b] = pair(kind);
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).setIfAbsent('once', String(i), 1000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).incr('n', 1000)));
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('shares one token bucket: a burst is spent once, whoever takes from it', async () => {
    const [a, b] = pair(kind);
    const waits = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).rate('site:1', 60, 5)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    // one token a second: the next comes within a second
    for (const w of waits.filter((w) => w > 0)) expect(w).toBeGreaterThan(0), expect(w).toBeLessThanOrEqual(1000);
  });
});
