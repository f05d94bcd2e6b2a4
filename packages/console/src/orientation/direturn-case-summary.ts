import { FEDERAL_STATES, languageDirection, type CaseContextDto, type OrQuestion, type OrRuleSet, type OrTexts } from '@direturn/protocol';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';
import { tokens } from '../shared/styles.js';

const KINDS = ['step', 'document', 'programme', 'note'] as const;

/** Rule-set versions never change: one fetch per version for the whole console. */
const versions = new Map<number, Promise<OrRuleSet>>();

/**
 * @summary The case summary a visitor sent from the orientation check, shown at the top of the
 * conversation in the counsellor's language: the visitor's answers translated through the
 * questionnaire's own texts (the version that produced the summary, not machine translation),
 * and the result as the server evaluated it.
 *
 * @csspart summary - The whole summary.
 * @csspart answers - The answers (a disclosure the counsellor can fold away).
 * @csspart result - The result items.
 * @cssprop --direturn-surface-alt - Background of the summary.
 */
@customElement('direturn-case-summary')
export class DiReturnCaseSummary extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      section {
        border: 1px solid var(--direturn-border, #c9d0d6);
        border-radius: 8px;
        background: var(--direturn-surface-alt, #f1f3f5);
        padding: 0.6rem 0.8rem;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.25rem;
      }
      h4 {
        font-size: 0.9rem;
        margin: 0.5rem 0 0.2rem;
      }
      summary h4 {
        display: inline;
      }
      summary {
        cursor: pointer;
      }
      .meta,
      .example {
        font-size: 0.85rem;
        margin: 0 0 0.4rem;
      }
      dl {
        display: grid;
        grid-template-columns: minmax(8rem, 1fr) 2fr;
        gap: 0.15rem 0.75rem;
        margin: 0;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
      }
      ul,
      ol {
        margin: 0;
        padding-inline-start: 1.25rem;
      }
    `,
  ];

  /** The summary a message carries. */
  @property({ attribute: false }) summary: CaseContextDto | null = null;
  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  @state() private ruleSet: OrRuleSet | null = null;
  @state() private failed = false;

  private readonly i18n = new I18nController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('summary') && this.summary) void this.load(this.summary.ruleSetVersion);
  }

  private async load(version: number): Promise<void> {
    let pending = versions.get(version);
    if (!pending) {
      pending = this.api.getRuleSetVersion(version).then((v) => v.ruleSet);
      pending.catch(() => versions.delete(version));
      versions.set(version, pending);
    }
    try {
      this.ruleSet = await pending;
      this.failed = false;
    } catch {
      this.failed = true;
    }
  }

  override render() {
    const s = this.summary;
    if (!s) return nothing;
    const lng = uiLanguage();
    const state = s.region ? FEDERAL_STATES.find((x) => x.key === s.region)?.name : null;
    return html`<section part="summary" aria-labelledby="case-title">
      <h3 id="case-title">${t('orientation.summaryTitle')}</h3>
      <p class="meta">
        ${t('orientation.answeredIn')} <span lang=${s.language}>${nativeLanguageName(s.language)}</span> ·
        ${t('orientation.version', { version: s.ruleSetVersion })}
        ${state ? html` · ${t('orientation.region')} <span lang="de">${state}</span>` : nothing}
      </p>
      ${this.failed ? html`<p role="alert">${t('orientation.failed')}</p>` : nothing}
      ${this.ruleSet ? this.renderBody(this.ruleSet, s, lng) : this.failed ? nothing : html`<p>${t('orientation.loading')}</p>`}
    </section>`;
  }

  private renderBody(rs: OrRuleSet, s: CaseContextDto, lng: string) {
    const items = new Map(rs.items.map((i) => [i.id, i]));
    const shown = s.items.map((id) => items.get(id)).filter((i) => i !== undefined);
    return html`
      ${rs.example ? html`<p class="example">${t('orientation.example')}</p>` : nothing}
      <details open>
        <summary><h4>${t('orientation.answers')}</h4></summary>
        <dl part="answers">
          ${rs.questions.map((q) => html`<dt>${text(q.text, lng)}</dt><dd>${this.answer(q, s, lng)}</dd>`)}
        </dl>
      </details>
      <div part="result">
        ${KINDS.map((kind) => {
          const list = shown.filter((i) => i.kind === kind);
          if (!list.length) return nothing;
          const lis = list.map((i) => html`<li>${text(i.title, lng)}</li>`);
          return html`<h4>${t(`orientation.kind.${kind}`)}</h4>${kind === 'step' ? html`<ol>${lis}</ol>` : html`<ul>${lis}</ul>`}`;
        })}
      </div>
    `;
  }

  private answer(q: OrQuestion, s: CaseContextDto, lng: string) {
    const a = s.answers[q.id];
    if (a === undefined) return html`<em>${t('orientation.notAnswered')}</em>`;
    if (q.kind === 'state') return html`<span lang="de">${FEDERAL_STATES.find((x) => x.key === a)?.name ?? a}</span>`;
    if (q.kind === 'country') return countryName(String(a), lng);
    const values = Array.isArray(a) ? a : [a];
    return values.map((v, i) => html`${i ? ', ' : ''}${text(q.options?.find((o) => o.value === v)?.text, lng)}`);
  }
}

/** A text in the counsellor's language, else English, else German, marked with its language. */
function text(texts: OrTexts | undefined, lng: string) {
  const own = (texts as Record<string, string | undefined> | undefined)?.[lng];
  const [language, value] = own ? [lng, own] : texts?.en ? ['en', texts.en] : ['de', texts?.de ?? ''];
  return html`<span lang=${language} dir=${languageDirection(language)}>${value}</span>`;
}

function countryName(code: string, lng: string): string {
  try {
    return `${new Intl.DisplayNames([lng, 'en'], { type: 'region' }).of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-case-summary': DiReturnCaseSummary;
  }
}
