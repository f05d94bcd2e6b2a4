import { randomBytes } from 'node:crypto';
import { LANGUAGE_CODES, matchLanguage, type AgentDto, type AwayMessages, type AwayNoticeDto, type LanguageCode, type OpeningHours, type SiteDto } from '@direturn/protocol';
import type { SiteInput, SiteUpdate } from '@direturn/protocol/schemas';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import type { SettingsService } from '../settings/settings.service.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { awayNotice } from './away-texts.js';
import { openingState } from './opening-hours.js';
import { countConversationsOfSite, deleteSite, findSiteById, findSiteByKey, insertSite, listSites, setSiteStartView, updateSite, type SiteChanges } from './site.repository.js';
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
    enabled: row.disabled_at == null,
    timeZone: row.time_zone ?? 'Europe/Berlin',
    openingHours: row.opening_hours ? (JSON.parse(row.opening_hours) as OpeningHours) : null,
    awayMessages: JSON.parse(row.away_messages ?? '{}') as AwayMessages,
  };
}

const normalizeOrigin = (origin: string): string => new URL(origin).origin;
const origins = (list: string[]): string => JSON.stringify([...new Set(list.map(normalizeOrigin))]);

/** Sites are the partner pages allowed to embed the widget. Admin changes are audited here. */
export class SiteService {
  constructor(
    private readonly db: Db,
    private readonly deps: { audit?: AuditService; settings?: SettingsService } = {},
  ) {}

  async create(input: SiteInput, key = `s_${randomBytes(9).toString('base64url')}`, by?: AgentDto | null): Promise<SiteDto> {
    const row: SiteRow = {
      id: newId(),
      key,
      name: input.name,
      allowed_origins: origins(input.allowedOrigins),
      default_language: input.defaultLanguage,
      created_at: Date.now(),
      start_view: input.startView,
      disabled_at: input.enabled ? null : Date.now(),
      time_zone: input.timeZone,
      opening_hours: input.openingHours ? JSON.stringify(input.openingHours) : null,
      away_messages: JSON.stringify(input.awayMessages),
    };
    await insertSite(this.db, row);
    if (by !== undefined) await this.deps.audit?.record({ agentId: by?.id ?? null, action: 'site.created', details: { site: row.key } });
    return toSiteDto(row);
  }

  async list(): Promise<SiteDto[]> {
    return (await listSites(this.db)).map(toSiteDto);
  }

  private async row(idOrKey: string): Promise<SiteRow> {
    const row = (await findSiteByKey(this.db, idOrKey)) ?? (/^[0-9a-f-]{36}$/.test(idOrKey) ? await findSiteById(this.db, idOrKey) : undefined);
    if (!row) throw new DomainError('not_found', 'Site not found.');
    return row;
  }

  /** Changes what is sent (by id or key). `by` null: the CLI. */
  async update(idOrKey: string, changes: SiteUpdate, by: AgentDto | null): Promise<SiteDto> {
    const row = await this.row(idOrKey);
    const set: SiteChanges = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.allowedOrigins !== undefined) set.allowed_origins = origins(changes.allowedOrigins);
    if (changes.defaultLanguage !== undefined) set.default_language = changes.defaultLanguage;
    if (changes.startView !== undefined) set.start_view = changes.startView;
    if (changes.enabled !== undefined) set.disabled_at = changes.enabled ? null : (row.disabled_at ?? Date.now());
    if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
    if (changes.openingHours !== undefined) set.opening_hours = changes.openingHours ? JSON.stringify(changes.openingHours) : null;
    if (changes.awayMessages !== undefined) set.away_messages = JSON.stringify(changes.awayMessages);
    await updateSite(this.db, row.id, set);
    // Which fields changed, never their values (origins and texts are the operator's, but the log stays small).
    await this.deps.audit?.record({ agentId: by?.id ?? null, action: 'site.updated', details: { site: row.key, fields: Object.keys(changes).sort().join(','), enabled: changes.enabled ?? null } });
    return toSiteDto({ ...row, ...set });
  }

  /**
   * Removes a site that has no conversations (with its visitors and privacy overrides). A site
   * with conversations is disabled instead: retention deletes them, then it can go.
   * @throws DomainError not_found | site_in_use
   */
  async remove(idOrKey: string, by: AgentDto | null): Promise<void> {
    const row = await this.row(idOrKey);
    const n = await countConversationsOfSite(this.db, row.id);
    if (n > 0) throw new DomainError('site_in_use', `The site still has ${n} conversations: disable it instead; once retention has deleted them it can be removed.`);
    await deleteSite(this.db, row.id);
    for (const language of LANGUAGE_CODES) await this.deps.settings?.removePrivacyOverride(row.id, language);
    await this.deps.audit?.record({ agentId: by?.id ?? null, action: 'site.removed', details: { site: row.key } });
  }

  /** The widget's first view for visitors without a conversation. */
  async setStartView(key: string, view: 'home' | 'chat'): Promise<boolean> {
    return setSiteStartView(this.db, key, view);
  }

  /**
   * The site a widget claims to belong to, if the page it runs on may embed it.
   * @throws DomainError unknown_site (also when disabled) | origin_not_allowed
   */
  async resolveEmbed(key: string, origin: string): Promise<SiteDto> {
    const row = await findSiteByKey(this.db, key);
    if (!row) throw new DomainError('unknown_site', 'No site is registered under this key.');
    const site = toSiteDto(row);
    if (!site.enabled) throw new DomainError('unknown_site', 'This site is disabled.');
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

  /** While the site is open: when its current period ends (epoch ms), for telling a visitor who stays. */
  closesAt(site: SiteDto, at = Date.now()): number | undefined {
    return openingState(site.openingHours, site.timeZone, at).closesAt;
  }

  /** What the widget says outside the site's opening hours; undefined while it is open. */
  awayNotice(site: SiteDto, language: LanguageCode, at = Date.now()): AwayNoticeDto | undefined {
    const state = openingState(site.openingHours, site.timeZone, at);
    return state.open ? undefined : awayNotice(language, site.awayMessages, state.nextOpen, site.timeZone);
  }

  /** Registers (or updates) the demo site so the demo page works on whatever address the server has. */
  async ensureDemoSite(demoOrigins: string[]): Promise<SiteDto> {
    const existing = await findSiteByKey(this.db, DEMO_SITE_KEY);
    const allowed = origins(demoOrigins);
    if (!existing) {
      return this.create({ name: 'Demo partner page', allowedOrigins: demoOrigins, defaultLanguage: 'de', startView: 'home', enabled: true, timeZone: 'Europe/Berlin', openingHours: null, awayMessages: {} }, DEMO_SITE_KEY);
    }
    if (existing.allowed_origins !== allowed) await updateSite(this.db, existing.id, { allowed_origins: allowed });
    return toSiteDto({ ...existing, allowed_origins: allowed });
  }
}
