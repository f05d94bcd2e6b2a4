import { Redis } from 'ioredis';
import { StorageError } from '../db/storage.js';

/** The address without credentials, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * A Redis connection that reconnects on its own (ioredis), checked once at start: an unreachable
 * server stops the start with one line instead of retrying forever. Commands issued while the
 * connection is down fail after one retry rather than queueing without bound.
 */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    // Reconnect with a growing pause, at most 2 s: a Redis restart is bridged within seconds.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Connection errors are reported by readiness (/readyz) and by the failing commands themselves.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new StorageError(`Cannot reach Redis at ${describeRedisUrl(url)}: ${(err as Error).message}`);
  }
  return redis;
}
