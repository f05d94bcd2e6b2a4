import type { KbVersionDto, KbVersionListResponse, LanguageCode } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { fullDateTime } from '../shared/format.js';
import { styles } from './direturn-kb-versions.styles.js';

/** Detail of `direturn-kb-version-load`: the text of an earlier version to continue from. */
export type KbVersionLoadDetail = Pick<KbVersionDto, 'version' | 'title' | 'summary' | 'body'>;

/**
 * @summary The saved versions of one translation, newest first: who saved it when, whether it was
 * a minor edit, which source version it followed; any version can be loaded into the editor.
 *
 * @fires direturn-kb-version-load - The editor asked for the text of an earlier version (`KbVersionLoadDetail`).
 * @csspart list - The list of versions.
 */
@customElement('direturn-kb-versions')
export class DireturnKbVersions extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) api: ApiClient = defaultApiClient;
  @property({ attribute: false }) articleId = '';
  @property({ attribute: false }) language: LanguageCode = 'de';
  /** The translation's latest version as the editor knows it: a change reloads the list. */
  @property({ attribute: false }) latest = 0;

  @state() private versions: KbVersionDto[] = [];
  @state() private failed = false;

  private readonly i18n = new I18nController(this);

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('articleId') || changed.has('language') || changed.has('latest')) void this.load();
  }

  private async load(): Promise<void> {
    if (!this.articleId || !this.latest) {
      this.versions = [];
      return;
    }
    try {
      const path = `/api/knowledge/articles/${encodeURIComponent(this.articleId)}/translations/${this.language}/versions`;
      this.versions = (await this.api.request<KbVersionListResponse>('GET', path)).versions;
      this.failed = false;
    } catch {
      this.failed = true;
    }
  }

  private use(v: KbVersionDto): void {
    this.dispatchEvent(new CustomEvent<KbVersionLoadDetail>('direturn-kb-version-load', { detail: { version: v.version, title: v.title, summary: v.summary, body: v.body }, bubbles: true, composed: true }));
  }

  override render() {
    if (this.failed) return html`<p role="alert">${t('knowledge.versions.failed')}</p>`;
    if (!this.versions.length) return nothing;
    const lng = uiLanguage();
    return html`<details>
      <summary>${t('knowledge.versions.title', { count: this.versions.length })}</summary>
      <ol part="list" reversed>
        ${this.versions.map(
          (v) => html`<li>
            ${t('knowledge.versions.line', { version: v.version, when: fullDateTime(v.createdAt, lng) })} · <bdi>${v.agentName ?? t('knowledge.versions.imported')}</bdi>
            ${v.minor ? html` · <span class="minor">${t('knowledge.versions.minor')}</span>` : nothing}
            ${v.sourceVersion ? html` · ${t('knowledge.versions.followsSource', { version: v.sourceVersion })}` : nothing}
            <button type="button" class="secondary" aria-label=${t('knowledge.versions.loadLabel', { version: v.version })} @click=${() => this.use(v)}>${t('knowledge.versions.load')}</button>
          </li>`,
        )}
      </ol>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-kb-versions': DireturnKbVersions;
  }
  interface HTMLElementEventMap {
    'direturn-kb-version-load': CustomEvent<KbVersionLoadDetail>;
  }
}
