import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import { notifySettingsStyles } from './direturn-notify-settings.styles.js';
import type { NotifySettings, WorkNotifier } from './work-notifier.js';

/**
 * @summary The counsellor's notification settings (profile screen): desktop notifications (asks
 * the browser's permission when turned on), whether they show the message text, and a sound.
 * Saved at once, on this device.
 *
 * @csspart status - What happened to the last change (saved, blocked by the browser).
 */
@customElement('direturn-notify-settings')
export class DireturnNotifySettings extends LitElement {
  static override styles = [tokens, buttons, forms, notifySettingsStyles];

  @property({ attribute: false }) notifier: WorkNotifier | null = null;
  /** Heading level of the section title (the profile uses 2). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  @state() private status = '';
  @state() private settings: NotifySettings | null = null;

  private readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this.notifier?.addEventListener('change', this.onChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.notifier?.removeEventListener('change', this.onChange);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('notifier')) {
      const previous = changed.get('notifier') as WorkNotifier | null | undefined;
      previous?.removeEventListener('change', this.onChange);
      if (this.isConnected) this.notifier?.addEventListener('change', this.onChange);
      this.settings = this.notifier ? { ...this.notifier.settings } : null;
    }
  }

  private readonly onChange = (): void => {
    this.settings = this.notifier ? { ...this.notifier.settings } : null;
  };

  override render() {
    const n = this.notifier;
    const s = this.settings;
    if (!n || !s) return nothing;
    const permission = n.permission;
    const title = t('notify.settings.title');
    return html`
      ${this.headingLevel === 3 ? html`<h3 id="notify-title">${title}</h3>` : html`<h2 id="notify-title">${title}</h2>`}
      <p class="hint">${t('notify.settings.intro')}</p>
      <fieldset aria-labelledby="notify-title">
        <label class="check">
          <input type="checkbox" name="desktop" .checked=${s.desktop} ?disabled=${permission === 'unsupported'} @change=${this.onToggle} />
          ${t('notify.settings.desktop')}
        </label>
        ${permission === 'unsupported'
          ? html`<p class="hint">${t('notify.settings.unsupported')}</p>`
          : permission === 'denied'
            ? html`<p class="hint">${t('notify.settings.denied')}</p>`
            : nothing}
        <label class="check">
          <input type="checkbox" name="showText" aria-describedby="show-text-hint" .checked=${s.showText} ?disabled=${!s.desktop} @change=${this.onToggle} />
          ${t('notify.settings.showText')}
        </label>
        <p class="hint" id="show-text-hint">${t('notify.settings.showTextHint')}</p>
        <label class="check">
          <input type="checkbox" name="sound" .checked=${s.sound} @change=${this.onToggle} />
          ${t('notify.settings.sound')}
        </label>
      </fieldset>
      <p class="hint">${t('notify.settings.titleCount')}</p>
      <p role="status" class="success" part="status">${this.status}</p>
    `;
  }

  private readonly onToggle = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const name = input.name as keyof NotifySettings;
    const wanted = input.checked;
    const next = await this.notifier!.update({ [name]: wanted });
    this.settings = { ...next };
    // the binding did not change when the browser refused: put the box back by hand
    input.checked = next[name];
    // turning desktop notifications on and the browser refusing: say why the box is off again
    this.status = wanted && !next[name] ? t('notify.settings.denied') : t('notify.settings.saved');
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-notify-settings': DireturnNotifySettings;
  }
}
