import type { TotpSetupResponse } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient, defaultApiClient } from '../api/api-client.js';
import { isApiError } from '../api/api-error.js';
import { TotpEnabledEvent } from '../events/events.js';
import { I18nController, t } from '../i18n/i18n.js';
import { downloadFile } from '../shared/download.js';
import { buttons, forms, tokens } from '../shared/styles.js';

type Step = 'intro' | 'scan' | 'codes';

/** The QR code as an image: the server's SVG markup never enters the DOM as markup (CSP allows `img-src data:`). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * @summary Two-factor enrolment: fetches a new secret, shows it as a QR code and as text, confirms
 * it with a code from the app, then shows the ten recovery codes once (copy or download) and asks
 * the agent to confirm they stored them.
 *
 * @fires direturn-totp-enabled - Enrolment is complete and the agent confirmed storing the recovery codes.
 *
 * @csspart qr - The QR code image.
 * @csspart secret - The secret as text, for manual entry.
 * @csspart code - The confirmation code field.
 * @csspart recovery-codes - The list of recovery codes.
 * @csspart error - An error message.
 *
 * @cssprop --direturn-surface - Background behind the QR code.
 * @cssprop --direturn-danger - Colour of errors.
 */
@customElement('direturn-totp-setup')
export class DireturnTotpSetup extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      .step {
        display: grid;
        gap: var(--_space);
        max-inline-size: 40rem;
      }
      p {
        margin: 0;
      }
      .heading {
        font-weight: 700;
        font-size: 1.0625rem;
      }
      .qr {
        inline-size: 12rem;
        block-size: 12rem;
        /* white in dark mode too: scanners need dark modules on a light quiet zone */
        background: #fff;
        padding: 0.5rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      .secret {
        font-size: 1.0625rem;
        letter-spacing: 0.05em;
        direction: ltr;
        unicode-bidi: isolate;
      }
      ol.codes {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: 0.25rem 1rem;
        margin: 0;
        padding-block: var(--_space);
        padding-inline: calc(var(--_space) * 2);
        background: var(--_surface-alt);
        border-radius: var(--_radius);
        font-size: 1.0625rem;
        direction: ltr;
      }
      .warning {
        background: var(--_warning-soft);
        border: 1px solid #d9b44a;
        border-radius: var(--_radius);
        padding: 0.5rem 0.75rem;
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) api: ApiClient = defaultApiClient;

  /** Starts enrolment right away instead of showing the intro and a start button. */
  @property({ type: Boolean }) autostart = false;

  /** aria-level of the step headings, to fit the page's outline. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  @state() private step: Step = 'intro';
  @state() private setup: TotpSetupResponse | null = null;
  @state() private codes: string[] = [];
  @state() private busy = false;
  @state() private error = '';
  @state() private copied = '';

  @query('input[name="code"]') private codeInput?: HTMLInputElement;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.autostart && this.step === 'intro' && !this.setup) void this.start();
  }

  override render() {
    switch (this.step) {
      case 'intro':
        return html`<div class="step">
          <p>${t('totp.setup.intro')}</p>
          ${this.renderError()}
          <div class="actions"><button type="button" ?disabled=${this.busy} @click=${this.start}>${t('totp.setup.start')}</button></div>
        </div>`;
      case 'scan':
        return this.renderScan();
      case 'codes':
        return this.renderCodes();
    }
  }

  private heading(text: string, id: string) {
    return html`<p class="heading" role="heading" aria-level=${this.headingLevel} id=${id} tabindex="-1">${text}</p>`;
  }

  private renderError() {
    return html`<div role="alert">${this.error ? html`<p class="error" part="error">${this.error}</p>` : nothing}</div>`;
  }

  private renderScan() {
    const s = this.setup;
    if (!s) return nothing;
    return html`<div class="step">
      ${this.heading(t('totp.setup.scanTitle'), 'scan-title')}
      <p>${t('totp.setup.scan')}</p>
      <img part="qr" class="qr" src=${svgDataUrl(s.qrSvg)} alt=${t('totp.setup.qrAlt')} />
      <p>${t('totp.setup.manual')}</p>
      <p><code part="secret" class="secret" aria-label=${t('totp.setup.secretLabel')}>${s.secret}</code></p>
      <form @submit=${this.confirm} novalidate>
        <label>
          ${t('totp.setup.code')}
          <input
            part="code"
            name="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength="7"
            required
            spellcheck="false"
            aria-describedby="code-hint"
            aria-invalid=${this.error ? 'true' : 'false'}
          />
        </label>
        <p class="hint" id="code-hint">${t('totp.setup.codeHint')}</p>
        ${this.renderError()}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${t('totp.setup.confirm')}</button></div>
      </form>
    </div>`;
  }

  private renderCodes() {
    return html`<div class="step">
      ${this.heading(t('totp.codes.title'), 'codes-title')}
      <p class="warning">${t('totp.codes.storeNow')}</p>
      <p>${t('totp.codes.explain')}</p>
      <ol part="recovery-codes" class="codes mono" aria-labelledby="codes-title">
        ${this.codes.map((c) => html`<li>${c}</li>`)}
      </ol>
      <div class="actions">
        <button type="button" class="secondary" @click=${this.copy}>${t('totp.codes.copy')}</button>
        <button type="button" class="secondary" @click=${this.download}>${t('totp.codes.download')}</button>
        <span role="status">${this.copied}</span>
      </div>
      <form @submit=${this.done} novalidate>
        <label class="check"><input type="checkbox" name="stored" />${t('totp.codes.stored')}</label>
        ${this.renderError()}
        <div class="actions"><button type="submit">${t('totp.codes.done')}</button></div>
      </form>
    </div>`;
  }

  private readonly start = async (): Promise<void> => {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      this.setup = await this.api.totpSetup();
      this.step = 'scan';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#scan-title')?.focus();
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : t('totp.setup.errors.start');
    } finally {
      this.busy = false;
    }
  };

  private readonly confirm = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (this.busy) return;
    const code = String(new FormData(e.currentTarget as HTMLFormElement).get('code') ?? '').replace(/\s+/g, '');
    if (!/^\d{6}$/.test(code)) {
      this.error = t('totp.setup.errors.format');
      this.codeInput?.focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      this.codes = await this.api.totpEnable(code);
      this.step = 'codes';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#codes-title')?.focus();
    } catch (err) {
      this.error = isApiError(err, 'network_error')
        ? t('common.errors.network')
        : isApiError(err, 'invalid_credentials') || isApiError(err, 'bad_request')
          ? t('totp.setup.errors.invalid')
          : t('common.errors.generic');
      if (this.codeInput) {
        this.codeInput.value = '';
        this.codeInput.focus();
      }
    } finally {
      this.busy = false;
    }
  };

  private readonly copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(this.codes.join('\n'));
      this.copied = t('totp.codes.copied');
    } catch {
      this.copied = t('totp.codes.copyFailed');
    }
  };

  private readonly download = (): void => {
    downloadFile('direturn-recovery-codes.txt', `${t('totp.codes.fileTitle')}\n\n${this.codes.join('\n')}\n`, 'text/plain;charset=utf-8');
  };

  private readonly done = (e: SubmitEvent): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (!new FormData(form).get('stored')) {
      this.error = t('totp.codes.confirmFirst');
      form.querySelector<HTMLInputElement>('input[name="stored"]')?.focus();
      return;
    }
    this.error = '';
    this.codes = [];
    this.setup = null;
    this.dispatchEvent(new TotpEnabledEvent());
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-totp-setup': DireturnTotpSetup;
  }
}
