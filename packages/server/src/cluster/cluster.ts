import type { Redis } from 'ioredis';
import type { Bus } from '../realtime/bus/bus.js';
import { LocalBus } from '../realtime/bus/local.js';
import { RedisBus } from '../realtime/bus/redis.js';
import { MemoryStore, RedisStore, type EphemeralStore } from './ephemeral-store.js';
import { connectRedis } from './redis.js';
import { MemoryThrottleStore, type ThrottleStore } from '../auth/throttle-store.js';
import { RedisThrottleStore } from './redis-throttle-store.js';

/**
 * What connects the processes of one installation: the bus (realtime fan-out) and the store of
 * short-lived shared state. Without Redis both stay inside this process.
 */
export interface Cluster {
  readonly mode: 'single' | 'redis';
  readonly bus: Bus;
  readonly store: EphemeralStore;
  /** Counters of the login throttle (auth/login-throttle.ts). */
  readonly throttle: ThrottleStore;
  /** Throws when Redis cannot be used now (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openCluster(redisUrl: string | undefined, prefix: string, onBusError: (err: Error) => void): Promise<Cluster> {
  if (!redisUrl) {
    const bus = new LocalBus();
    return { mode: 'single', bus, store: new MemoryStore(), throttle: new MemoryThrottleStore(), ping: async () => {}, close: () => bus.close() };
  }
  // Named in CLIENT LIST, so an operator sees which installation (and which part) holds a connection.
  const pub: Redis = await connectRedis(redisUrl, `${prefix}-pub`);
  let sub: Redis | undefined;
  try {
    sub = await connectRedis(redisUrl, `${prefix}-sub`);
    const bus = await RedisBus.connect(pub, sub, { channel: `${prefix}:bus`, onError: onBusError });
    return { mode: 'redis', bus, store: new RedisStore(pub, `${prefix}:`), throttle: new RedisThrottleStore(pub, `${prefix}:`), ping: () => bus.ping(), close: () => bus.close() };
  } catch (err) {
    pub.disconnect();
    sub?.disconnect();
    throw err;
  }
}
