import type { LanguageCode } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { hashSecret, newId, newSecret } from '../shared/ids.js';
import { findVisitor, findVisitorByTokenHash, insertVisitor, updateVisitor } from './visitor.repository.js';
import type { VisitorRow } from './visitor.table.js';

/** Anonymous visitors: identified only by a secret token their widget keeps. */
export class VisitorService {
  constructor(private readonly db: Db) {}

  /**
   * The visitor behind `token` on this site, or a new pseudonymous visitor with a fresh token when
   * there is none (first visit, or a token from another site or one that was deleted).
   */
  async identify(siteId: string, token: string | undefined, language: LanguageCode): Promise<{ visitor: VisitorRow; token: string }> {
    const now = Date.now();
    if (token) {
      const existing = await findVisitorByTokenHash(this.db, siteId, hashSecret(token));
      if (existing) {
        await updateVisitor(this.db, existing.id, { language, last_seen_at: now });
        return { visitor: { ...existing, language, last_seen_at: now }, token };
      }
    }
    const fresh = newSecret();
    const visitor: VisitorRow = { id: newId(), site_id: siteId, token_hash: hashSecret(fresh), language, created_at: now, last_seen_at: now };
    await insertVisitor(this.db, visitor);
    return { visitor, token: fresh };
  }

  /**
   * Continues `visitorId` on a new device (a resume code was checked): a fresh token replaces the
   * old one, so the device that had it can no longer reconnect as this visitor.
   */
  async resume(visitorId: string, language: LanguageCode): Promise<{ visitor: VisitorRow; token: string } | undefined> {
    const now = Date.now();
    const fresh = newSecret();
    await updateVisitor(this.db, visitorId, { token_hash: hashSecret(fresh), language, last_seen_at: now });
    const visitor = await findVisitor(this.db, visitorId);
    return visitor ? { visitor, token: fresh } : undefined;
  }

  async setLanguage(visitorId: string, language: LanguageCode): Promise<void> {
    await updateVisitor(this.db, visitorId, { language });
  }
}
