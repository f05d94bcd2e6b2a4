import { randomBytes } from 'node:crypto';
import { matchLanguage, type SiteDto } from '@direturn/protocol';
import type { SiteInput } from '@direturn/protocol/schemas';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { findSiteByKey, insertSite, listSites, setSiteStartView, updateSite } from './site.repository.js';
import type { SiteRow } from './site.table.js';

export const DEMO_SITE_KEY = 'demo';

export function toSiteDto(row: SiteRow): SiteDto {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    defaultLanguage: matchLanguage(row.default_language) ?? 'de',
    startView: row.start_view === 'chat' ? 'chat' : 'home',
  };
}

const normalizeOrigin = (origin: string): string => new URL(origin).origin;

/** Sites are the partner pages allowed to embed the widget. */
export class SiteService {
  constructor(private readonly db: Db) {}

  async create(input: SiteInput, key = `s_${randomBytes(9).toString('base64url')}`): Promise<SiteDto> {
    const row: SiteRow = {
      id: newId(),
      key,
      name: input.name,
      allowed_origins: JSON.stringify([...new Set(input.allowedOrigins.map(normalizeOrigin))]),
      default_language: input.defaultLanguage,
      created_at: Date.now(),
      start_view: input.startView,
    };
    await insertSite(this.db, row);
    return toSiteDto(row);
  }

  async list(): Promise<SiteDto[]> {
    return (await listSites(this.db)).map(toSiteDto);
  }

  /**
   * The site a widget claims to belong to, if the page it runs on may embed it.
   * @throws DomainError unknown_site | origin_not_allowed
   */
  /** The widget's first view for visitors without a conversation. */
  async setStartView(key: string, view: 'home' | 'chat'): Promise<boolean> {
    return setSiteStartView(this.db, key, view);
  }

  async resolveEmbed(key: string, origin: string): Promise<SiteDto> {
    const row = await findSiteByKey(this.db, key);
    if (!row) throw new DomainError('unknown_site', 'No site is registered under this key.');
    const site = toSiteDto(row);
    let normalized: string;
    try {
      normalized = normalizeOrigin(origin);
    } catch {
      throw new DomainError('origin_not_allowed', 'The page origin is not a valid origin.');
    }
    if (!site.allowedOrigins.includes(normalized)) {
      throw new DomainError('origin_not_allowed', `This site does not allow the widget on ${normalized}.`);
    }
    return site;
  }

  /** Registers (or updates) the demo site so the demo page works on whatever address the server has. */
  async ensureDemoSite(origins: string[]): Promise<SiteDto> {
    const existing = await findSiteByKey(this.db, DEMO_SITE_KEY);
    const allowed = JSON.stringify([...new Set(origins.map(normalizeOrigin))]);
    if (!existing) {
      return this.create({ name: 'Demo partner page', allowedOrigins: origins, defaultLanguage: 'de', startView: 'home' }, DEMO_SITE_KEY);
    }
    if (existing.allowed_origins !== allowed) await updateSite(this.db, existing.id, { allowed_origins: allowed });
    return toSiteDto({ ...existing, allowed_origins: allowed });
  }
}
