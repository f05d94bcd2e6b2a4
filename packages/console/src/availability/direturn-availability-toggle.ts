import type { AvailabilityDto } from '@direturn/protocol';
import { LitElement, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { WorkApi } from '../conversation-work/work-api.js';
import { onAvailability } from '../conversation-work/work-updates.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, tokens } from '../shared/styles.js';
import { availabilityToggleStyles } from './availability-toggle.styles.js';

/**
 * @summary Available / away: away counsellors take no new conversations, are handed none, and do not
 * count as "someone is online" for visitors. Their conversations return to the queue after the
 * configured time away.
 *
 * @csspart button - The toggle button.
 *
 * @cssprop --direturn-success - Colour of the dot while available.
 */
@customElement('direturn-availability-toggle')
export class DireturnAvailabilityToggle extends LitElement {
  static override styles = [tokens, buttons, availabilityToggleStyles];

  @property({ attribute: false }) api: ApiClient | null = null;
  /** Reflected, for styling: `available` or `away`. */
  @property({ reflect: true }) availability: AvailabilityDto['availability'] = 'available';
  @state() private load: AvailabilityDto | null = null;
  @state() private busy = false;

  constructor() {
    super();
    new I18nController(this);
  }

  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onAvailability((dto) => this.show(dto));
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** The state from the server, e.g. an `availability` frame (another tab changed it). */
  show(dto: AvailabilityDto): void {
    this.load = dto;
    this.availability = dto.availability;
  }

  private async refresh(): Promise<void> {
    if (!this.api) return;
    try {
      this.show(await new WorkApi(this.api).availability());
    } catch {
      /* shown as available until the server answers */
    }
  }

  private async toggle(): Promise<void> {
    if (!this.api || this.busy) return;
    this.busy = true;
    try {
      this.show(await new WorkApi(this.api).setAvailability(this.availability === 'away' ? 'available' : 'away'));
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const away = this.availability === 'away';
    const load = this.load ? t('conversationWork.availability.load', { holding: this.load.holding, max: this.load.maxParallel }) : '';
    return html`<button type="button" part="button" aria-pressed=${away ? 'true' : 'false'} ?disabled=${this.busy} @click=${this.toggle} title=${load} aria-label=${`${t(away ? 'conversationWork.availability.away' : 'conversationWork.availability.available')} – ${t('conversationWork.availability.toggle')}`}>
      <span class="dot" aria-hidden="true"></span>
      ${t(away ? 'conversationWork.availability.away' : 'conversationWork.availability.available')}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-availability-toggle': DireturnAvailabilityToggle;
  }
}
