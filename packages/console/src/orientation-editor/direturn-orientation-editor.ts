import type { OrIssue, OrRuleSetVersionListItem } from '@direturn/protocol';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { fullDateTime } from '../shared/format.js';
import { issueTexts } from '../shared/validation-text.js';
import { styles } from './direturn-orientation-editor.styles.js';

/**
 * @summary The editors' screen of the orientation check: the rule set (questions, result texts,
 * rules) as JSON, checked by the server (every problem with its place), saved as a new version
 * only when it passes; the list of versions, each loadable.
 *
 * @csspart editor - The JSON text area.
 * @csspart issues - The problems the check found.
 * @csspart versions - The version list.
 */
@customElement('direturn-orientation-editor')
export class DiReturnOrientationEditor extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private text = '';
  @state() private comment = '';
  @state() private issues: OrIssue[] | null = null;
  @state() private message = '';
  @state() private versions: OrRuleSetVersionListItem[] = [];
  @state() private busy = false;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh(true);
  }

  private async refresh(loadLatest: boolean): Promise<void> {
    this.versions = await this.api.listRuleSetVersions();
    const latest = this.versions[0];
    if (loadLatest && latest) await this.load(latest.version);
  }

  private async load(version: number): Promise<void> {
    const v = await this.api.getRuleSetVersion(version);
    this.text = JSON.stringify(v.ruleSet, null, 2);
    this.issues = null;
    this.message = '';
  }

  private parse(): unknown {
    try {
      return JSON.parse(this.text);
    } catch {
      this.issues = null;
      this.message = t('orientation.editorNotJson');
      return undefined;
    }
  }

  private async check(): Promise<boolean> {
    const ruleSet = this.parse();
    if (ruleSet === undefined) return false;
    this.busy = true;
    try {
      this.issues = await this.api.checkRuleSet(ruleSet);
      this.message = this.issues.length ? t('orientation.editorIssues', { count: this.issues.length }) : t('orientation.editorValid');
      return this.issues.length === 0;
    } catch (err) {
      // structure the schema refuses (400): coded issues, translated like every form's
      this.issues = null;
      this.message = issueTexts(err, t('orientation.editorRefused')).join(' ');
      return false;
    } finally {
      this.busy = false;
    }
  }

  private async save(): Promise<void> {
    if (!(await this.check())) return;
    this.busy = true;
    try {
      const saved = await this.api.saveRuleSet(this.parse(), this.comment);
      this.message = t('orientation.editorSaved', { version: saved.version });
      this.comment = '';
      await this.refresh(false);
    } catch (err) {
      this.message = issueTexts(err, t('orientation.editorRefused')).join(' ');
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const lng = uiLanguage();
    return html`
      <h2>${t('orientation.editorTitle')}</h2>
      <p>${t('orientation.editorIntro')}</p>
      <label
        >${t('orientation.editorJson')}
        <textarea part="editor" spellcheck="false" dir="ltr" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      <div class="row">
        <label
          >${t('orientation.editorComment')}
          <input type="text" maxlength="500" .value=${this.comment} @input=${(e: Event) => (this.comment = (e.target as HTMLInputElement).value)} />
        </label>
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => void this.check()}>${t('orientation.editorCheck')}</button>
        <button type="button" ?disabled=${this.busy} @click=${() => void this.save()}>${t('orientation.editorSave')}</button>
      </div>
      <div role="status" aria-live="polite">
        ${this.message ? html`<p>${this.message}</p>` : nothing}
        ${this.issues?.length
          ? html`<ul class="issues" part="issues">
              ${this.issues.map(
                (i) => html`<li>
                  <code dir="ltr">${i.path}</code>: ${t(`orientation.issue.${i.code}`, { subject: i.params?.subject ?? '', value: i.params?.value ?? '' })}
                  <span class="detail">${t('orientation.editorDetail')}: <span lang="en" dir="ltr">${i.message}</span></span>
                </li>`,
              )}
            </ul>`
          : nothing}
      </div>
      <h3>${t('orientation.editorVersions')}</h3>
      <ul part="versions">
        ${this.versions.map(
          (v) => html`<li>
            ${t('orientation.version', { version: v.version })} · ${fullDateTime(v.createdAt, lng)} · <bdi>${v.agentName ?? t('orientation.editorShipped')}</bdi>
            ${v.comment ? html` · <bdi>${v.comment}</bdi>` : nothing}
            <button type="button" class="secondary" @click=${() => void this.load(v.version)}>${t('orientation.editorOpen')}</button>
          </li>`,
        )}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-orientation-editor': DiReturnOrientationEditor;
  }
}
