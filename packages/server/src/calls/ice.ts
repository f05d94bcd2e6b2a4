import { createHmac, randomBytes } from 'node:crypto';
import type { IceConfigDto, IceServerDto } from '@direturn/protocol';
import type { CallConfig } from '../config.js';

/**
 * TURN REST credentials (draft-uberti-behave-turn-rest, as coturn's `use-auth-secret` checks
 * them): the username is `<expiry unix time>:<id>`, the password base64(HMAC-SHA1(secret,
 * username)). The TURN server recomputes the password from the shared secret and refuses it after
 * the expiry, so no password is stored anywhere and a leaked one stops working by itself. The id
 * is random: TURN logs cannot be matched to a conversation.
 */
export function turnCredentials(secret: string, ttlSeconds: number, now = Date.now(), id = randomBytes(9).toString('base64url')): { username: string; credential: string; expiresAt: number } {
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  const username = `${expiry}:${id}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

/** STUN and TURN servers from the configuration, with fresh TURN credentials on every call. */
export class IceServers {
  constructor(private readonly config: Pick<CallConfig, 'stunUrls' | 'turnUrls' | 'turnSecret' | 'turnTtlSeconds' | 'iceTransportPolicy'>) {}

  /** Whether a TURN server is configured (calls from mobile networks mostly need one). */
  get hasTurn(): boolean {
    return this.config.turnUrls.length > 0 && this.config.turnSecret !== undefined;
  }

  mint(now = Date.now()): IceConfigDto {
    const { stunUrls, turnUrls, turnSecret, turnTtlSeconds, iceTransportPolicy } = this.config;
    const iceServers: IceServerDto[] = [];
    if (stunUrls.length) iceServers.push({ urls: [...stunUrls] });
    if (turnUrls.length && turnSecret) {
      const { username, credential, expiresAt } = turnCredentials(turnSecret, turnTtlSeconds, now);
      iceServers.push({ urls: [...turnUrls], username, credential });
      return { iceServers, iceTransportPolicy, expiresAt };
    }
    return { iceServers, iceTransportPolicy };
  }
}
