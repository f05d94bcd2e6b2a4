import type { Redis } from 'ioredis';
import type { ThrottleRule, ThrottleStore } from '../auth/throttle-store.js';

// The leaky counters of auth/throttle-store.ts (MemoryThrottleStore is the reference), as two Lua
// scripts: Redis runs each atomically over all its keys, so parallel guesses sent to several
// processes are counted before any of them is checked, exactly as in one process. A key is a hash
// {count, at, locked}; it expires once it has leaked empty and delays no one.

const HIT = `
local now = tonumber(ARGV[1])
local wait = 0
local states = {}
for i = 1, #KEYS do
  local b = 1 + (i - 1) * 4
  local free, base, maxd, leak = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
  local h = redis.call('HMGET', KEYS[i], 'count', 'at', 'locked')
  local count = tonumber(h[1]) or 0
  local at = tonumber(h[2]) or now
  local locked = tonumber(h[3]) or 0
  count = math.max(0, count - (now - at) / leak)
  states[i] = { count, locked, free, base, maxd, leak }
  if locked - now > wait then wait = locked - now end
end
if wait > 0 then return math.ceil(wait) end
for i = 1, #KEYS do
  local s = states[i]
  local count, locked = s[1] + 1, s[2]
  local over = math.ceil(count) - s[3]
  if over >= 0 then locked = now + math.min(s[5], s[4] * 2 ^ math.min(over, 40)) end
  redis.call('HSET', KEYS[i], 'count', string.format('%.6f', count), 'at', string.format('%d', now), 'locked', string.format('%d', locked))
  redis.call('PEXPIRE', KEYS[i], math.ceil(math.max(locked - now, 0) + count * s[6]) + 1000)
end
return 0
`;

const SETTLE = `
local now = tonumber(ARGV[1])
local nclear = tonumber(ARGV[2])
for i = 1, nclear do redis.call('DEL', KEYS[i]) end
for i = nclear + 1, #KEYS do
  local b = 2 + (i - nclear - 1) * 2
  local free, leak = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
  local h = redis.call('HMGET', KEYS[i], 'count', 'at', 'locked')
  if h[1] then
    local count = math.max(0, tonumber(h[1]) - (now - tonumber(h[2])) / leak - 1)
    local locked = tonumber(h[3]) or 0
    if math.ceil(count) < free then locked = 0 end
    redis.call('HSET', KEYS[i], 'count', string.format('%.6f', count), 'at', string.format('%d', now), 'locked', string.format('%d', locked))
    redis.call('PEXPIRE', KEYS[i], math.ceil(math.max(locked - now, 0) + count * leak) + 1000)
  end
end
return 0
`;

/** Login throttle counters shared by every process of an installation (keys under `prefix`). */
export class RedisThrottleStore implements ThrottleStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'direturn:',
  ) {}

  async hit(rules: readonly ThrottleRule[], now: number): Promise<number> {
    const args = rules.flatMap((r) => [r.policy.free, r.policy.baseDelayMs, r.policy.maxDelayMs, r.policy.leakMs]);
    return Number(await this.redis.eval(HIT, rules.length, ...rules.map((r) => this.key(r.key)), Math.floor(now), ...args));
  }

  async settle(clear: readonly string[], refund: readonly ThrottleRule[], now: number): Promise<void> {
    const keys = [...clear.map((k) => this.key(k)), ...refund.map((r) => this.key(r.key))];
    if (keys.length === 0) return;
    await this.redis.eval(SETTLE, keys.length, ...keys, Math.floor(now), clear.length, ...refund.flatMap((r) => [r.policy.free, r.policy.leakMs]));
  }

  private key(k: string): string {
    return `${this.prefix}throttle:${k}`;
  }
}
