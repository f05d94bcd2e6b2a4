import { LitElement, html, nothing, css } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { VisitorReferralDto } from '@direturn/protocol';
import { I18nController, useNamespace } from '../i18n/i18n.js';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import { DiReturnReferralAnswerEvent } from '../events/direturn-offices.js';
import { officeStyles } from './offices.styles.js';
import { languageNames, officeCard } from './office-card.js';

/**
 * @summary The visitor's side of a warm referral, in the conversation: exactly what the
 * counsellor proposes to share with which office; agree (optionally with a phone number or
 * e-mail address for that office only, and the chat transcript) or decline; later take the
 * consent back until the office has opened it, and see what the office reported.
 *
 * @fires direturn-referral-answer - The visitor agreed, declined or took the consent back (`answer`).
 * @csspart referral - One referral.
 * @csspart status - What became of a referral.
 */
@customElement('direturn-referral-consent')
export class ReferralConsent extends LitElement {
  static override styles = [
    tokens,
    surfaces,
    visuallyHidden,
    officeStyles,
    css`
      :host {
        padding: 0.6rem 0.75rem;
        border-block-start: 1px solid var(--_border);
        background: var(--_surface-alt);
      }
      section + section {
        margin-block-start: 0.75rem;
      }
      .shared dt {
        font-weight: 600;
        color: var(--_text);
      }
    `,
  ];

  @property({ attribute: false }) referrals: VisitorReferralDto[] = [];

  @state() private textsReady = false;
  /** Per referral: the contact kind the visitor chose in the form. */
  @state() private contactKind: Record<string, 'none' | 'phone' | 'email'> = {};
  @state() private invalid: Record<string, boolean> = {};

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    void useNamespace('offices')
      .catch(() => undefined)
      .then(() => (this.textsReady = true));
  }

  override render() {
    if (!this.textsReady) return nothing;
    return this.referrals.map((r) => (r.status === 'proposed' ? this.renderProposal(r) : this.renderStatus(r)));
  }

  private renderProposal(r: VisitorReferralDto) {
    const { t } = this.i18n;
    const kind = this.contactKind[r.id] ?? 'none';
    const s = r.summary;
    return html`<section part="referral" aria-labelledby=${`ref-${r.id}`}>
      <h2 id=${`ref-${r.id}`}>${t('referral.title')}</h2>
      <p>${t('referral.intro')}</p>
      ${officeCard(r.office, t, this.i18n.language)}
      <h3>${t('referral.shared')}</h3>
      <div class="card shared">
        <dl>
          <dt>${t('referral.fields.language')}</dt><dd>${languageNames([s.language], this.i18n.language)}</dd>
          ${s.countryOfReturn ? html`<dt>${t('referral.fields.countryOfReturn')}</dt><dd dir="auto">${s.countryOfReturn}</dd>` : nothing}
          <dt>${t('referral.fields.situation')}</dt><dd dir="auto">${s.situation}</dd>
          ${s.needs ? html`<dt>${t('referral.fields.needs')}</dt><dd dir="auto">${s.needs}</dd>` : nothing}
          ${s.discussed ? html`<dt>${t('referral.fields.discussed')}</dt><dd dir="auto">${s.discussed}</dd>` : nothing}
        </dl>
      </div>
      <form @submit=${(e: SubmitEvent) => this.consent(e, r)} novalidate>
        <label class="check"><input type="checkbox" name="transcript" /> ${t('referral.transcript')}</label>
        <fieldset>
          <legend>${t('referral.contact.legend')}</legend>
          <p class="meta">${t('referral.contact.hint')}</p>
          ${(['none', 'phone', 'email'] as const).map(
            (k) => html`<label class="check"
              ><input type="radio" name="kind" value=${k} .checked=${kind === k} @change=${() => (this.contactKind = { ...this.contactKind, [r.id]: k })} />
              ${t(`referral.contact.${k}`)}</label
            >`,
          )}
          ${kind === 'none'
            ? nothing
            : html`<label
                >${t(`referral.contact.${kind}Label`)}
                <input
                  name="contact"
                  dir="ltr"
                  type=${kind === 'email' ? 'email' : 'tel'}
                  autocomplete=${kind === 'email' ? 'email' : 'tel'}
                  aria-invalid=${this.invalid[r.id] ? 'true' : 'false'}
                  aria-describedby=${`err-${r.id}`}
                  required
              /></label>`}
          <p id=${`err-${r.id}`} role="alert" class="meta">${this.invalid[r.id] ? t(`referral.contact.invalid${kind === 'email' ? 'Email' : 'Phone'}`) : ''}</p>
        </fieldset>
        <div class="actions">
          <button type="submit">${t('referral.agree')}</button>
          <button type="button" class="secondary" @click=${() => this.answer({ referralId: r.id, answer: 'decline' })}>${t('referral.decline')}</button>
        </div>
      </form>
    </section>`;
  }

  private renderStatus(r: VisitorReferralDto) {
    const { t } = this.i18n;
    return html`<section part="referral">
      <p part="status" role="status">
        <strong dir="auto">${r.office.name}</strong>: ${t(`referral.status.${r.status}`)}
      </p>
      ${r.canWithdraw
        ? html`<p>${t('referral.withdrawHint')}</p>
            <div class="actions">
              <button type="button" class="secondary" @click=${() => this.answer({ referralId: r.id, answer: 'withdraw' })}>${t('referral.withdraw')}</button>
            </div>`
        : nothing}
      ${r.status === 'sent' || r.status === 'received' || r.status === 'contacted' || r.status === 'appointment'
        ? html`<details>
            <summary>${t('referral.office')}</summary>
            ${officeCard(r.office, t, this.i18n.language)}
          </details>`
        : nothing}
    </section>`;
  }

  private consent(e: SubmitEvent, r: VisitorReferralDto): void {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const kind = this.contactKind[r.id] ?? 'none';
    const value = String(data.get('contact') ?? '').trim();
    const valid = kind === 'none' || (kind === 'email' ? /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) : /^\+?[\d\s()/.-]{5,30}$/.test(value));
    this.invalid = { ...this.invalid, [r.id]: !valid };
    if (!valid) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[name="contact"]')?.focus());
      return;
    }
    this.answer({
      referralId: r.id,
      answer: 'consent',
      includeTranscript: data.get('transcript') === 'on',
      contact: kind === 'none' ? null : { kind, value },
    });
  }

  private answer(a: ConstructorParameters<typeof DiReturnReferralAnswerEvent>[0]): void {
    this.dispatchEvent(new DiReturnReferralAnswerEvent(a));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-referral-consent': ReferralConsent;
  }
}
