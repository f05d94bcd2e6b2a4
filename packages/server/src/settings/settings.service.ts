import type { LanguageCode, PrivacyLinkDto, PrivacyNoticeDto, SettingsDto } from '@direturn/protocol';
import type { PrivacyOverride, SettingsUpdate } from '@direturn/protocol/schemas';
import type { PrivacyOverrideDto } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import { TypedEmitter } from '../shared/events.js';
import { deleteSetting, listSettings, upsertSetting } from './settings.repository.js';
import { DEFAULT_PRIVACY_TEXTS } from './privacy-texts.js';

const DAY_MS = 86_400_000;
const privacyKey = (siteId: string | null, language: string): string => `privacy:${siteId ?? '*'}:${language}`;

/**
 * Installation settings an admin can change at run time (defaults from the environment), kept in
 * memory after start. A change made here is announced (`changed`), so the other processes of the
 * installation reload; changes made by the CLI reach them with the periodic reload.
 */
export class SettingsService {
  private values = new Map<string, unknown>();
  /**
   * `changed`: after any change (an admin's, or one found on reload): whoever depends on a setting
   * re-checks. `updated`: a change made through this process, for the others to reload.
   */
  readonly events = new TypedEmitter<{ changed: SettingsDto; updated: Record<string, never> }>();

  private constructor(
    private readonly db: Db,
    private readonly defaults: { retentionDays: number; requireTotp: boolean },
  ) {}

  static async load(db: Db, defaults: { retentionDays: number; requireTotp: boolean }): Promise<SettingsService> {
    const s = new SettingsService(db, defaults);
    await s.reload();
    return s;
  }

  async reload(): Promise<void> {
    const before = JSON.stringify(this.get());
    this.values = new Map((await listSettings(this.db)).map((r) => [r.key, JSON.parse(r.value) as unknown]));
    if (JSON.stringify(this.get()) !== before) this.events.emit('changed', this.get());
  }

  get retentionDays(): number {
    const v = this.values.get('retentionDays');
    return typeof v === 'number' ? v : this.defaults.retentionDays;
  }

  get retentionMs(): number {
    return this.retentionDays * DAY_MS;
  }

  get requireTotp(): boolean {
    const v = this.values.get('requireTotp');
    return typeof v === 'boolean' ? v : this.defaults.requireTotp;
  }

  get(): SettingsDto {
    return { retentionDays: this.retentionDays, requireTotp: this.requireTotp };
  }

  async update(changes: SettingsUpdate): Promise<SettingsDto> {
    const now = Date.now();
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      await upsertSetting(this.db, key, JSON.stringify(value), now);
      this.values.set(key, value);
    }
    this.events.emit('changed', this.get());
    this.events.emit('updated', {});
    return this.get();
  }

  /** The notice for a site in a language: site override, global override, built-in text, English. */
  privacyNotice(siteId: string, language: LanguageCode): PrivacyNoticeDto {
    for (const lang of [language, 'en'] as const) {
      // In the digits of the text's language (Persian digits in Farsi, …).
      const fill = (text: string) => text.replaceAll('{days}', new Intl.NumberFormat(lang).format(this.retentionDays));
      for (const key of [privacyKey(siteId, lang), privacyKey(null, lang)]) {
        const o = this.values.get(key) as { text: string; links: PrivacyLinkDto[] } | undefined;
        if (o) return { language: lang, text: fill(o.text), links: o.links, retentionDays: this.retentionDays };
      }
      const builtIn = DEFAULT_PRIVACY_TEXTS[lang];
      if (builtIn) return { language: lang, text: fill(builtIn), links: [], retentionDays: this.retentionDays };
    }
    throw new Error('no English privacy text');
  }

  listPrivacyOverrides(): PrivacyOverrideDto[] {
    const out: PrivacyOverrideDto[] = [];
    for (const [key, value] of this.values) {
      const m = /^privacy:([^:]+):(.+)$/.exec(key);
      if (!m) continue;
      const v = value as { text: string; links: PrivacyLinkDto[] };
      out.push({ siteId: m[1] === '*' ? null : m[1]!, language: m[2]!, text: v.text, links: v.links });
    }
    return out;
  }

  async setPrivacyOverride(o: PrivacyOverride): Promise<void> {
    const key = privacyKey(o.siteId, o.language);
    const value = { text: o.text, links: o.links };
    await upsertSetting(this.db, key, JSON.stringify(value), Date.now());
    this.values.set(key, value);
    this.events.emit('updated', {});
  }

  async removePrivacyOverride(siteId: string | null, language: string): Promise<void> {
    const key = privacyKey(siteId, language);
    await deleteSetting(this.db, key);
    this.values.delete(key);
    this.events.emit('updated', {});
  }
}
