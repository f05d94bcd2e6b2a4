import type { ReferralDto } from '@direturn/protocol';
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { I18nController, t, uiLanguage } from '../i18n/i18n.js';
import { tokens } from '../shared/styles.js';

/**
 * @summary A referral's status over time (who did what when), folded away by default.
 *
 * @csspart list - The timeline.
 */
@customElement('direturn-referral-timeline')
export class DireturnReferralTimeline extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        font-size: 0.8125rem;
      }
      ol {
        margin: 0.25rem 0 0;
        padding-inline-start: 1.25rem;
      }
      summary {
        cursor: pointer;
        color: var(--_muted);
      }
    `,
  ];

  @property({ attribute: false }) referral: ReferralDto | null = null;

  private readonly i18n = new I18nController(this);

  override render() {
    const r = this.referral;
    if (!r) return html``;
    const time = new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' });
    return html`<details>
      <summary>${t('referrals.timeline')}</summary>
      <ol part="list">
        ${r.events.map(
          (e) => html`<li><time datetime=${new Date(e.at).toISOString()}>${time.format(e.at)}</time> · ${t(`referrals.status.${e.status}`)} (${t(`referrals.by.${e.by}`)})</li>`,
        )}
      </ol>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-referral-timeline': DireturnReferralTimeline;
  }
}
