import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AgentDto, ConversationSummaryDto } from '@direturn/protocol';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, tokens } from '../shared/styles.js';
import { consoleCalls, type ConsoleCalls } from './console-calls.js';
import { callPanelStyles } from './direturn-call-panel.styles.js';

const clock = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * @summary Calls in the open conversation: a voice or video call to its visitor (the holder of an
 * active conversation only), the offer while the visitor decides, then the visitor's picture and
 * one's own, mute, camera off, hang up, the call's state and connection quality (announced), and
 * why a call ended. A call in another conversation stays visible here, with hang up.
 *
 * @csspart offer - The two call buttons.
 * @csspart call-state - The state of the connection.
 */
@customElement('direturn-call-panel')
export class DireturnCallPanel extends LitElement {
  static override styles = [tokens, buttons, callPanelStyles];

  @property({ attribute: false }) conversation: ConversationSummaryDto | null = null;
  @property({ attribute: false }) me: AgentDto | null = null;
  /** The console's calls (replaceable in tests). */
  @property({ attribute: false }) calls: ConsoleCalls = consoleCalls;

  @state() private revision = 0;
  @state() private announcement = '';
  @state() private soundBlocked = false;

  private readonly i18n = new I18nController(this);
  private ticker: ReturnType<typeof setInterval> | undefined;
  private said = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.calls.addEventListener('change', this.onChange);
    this.ticker = setInterval(() => this.session?.phase === 'connected' && this.revision++, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.calls.removeEventListener('change', this.onChange);
    clearInterval(this.ticker);
  }

  private get session() {
    return this.calls.session;
  }

  private onChange = (): void => {
    this.revision++;
    const text = this.stateText();
    if (text && text !== this.said) {
      this.said = text;
      this.announcement = '';
      requestAnimationFrame(() => (this.announcement = text));
    }
  };

  /** What is announced when it changes: offering, connected, reconnecting, poor connection, why it ended, a problem. */
  private stateText(): string {
    const c = this.calls;
    if (c.problem) return t(`call.problems.${c.problem}`);
    if (c.offering) return t('call.calling');
    const call = c.call;
    if (!call) return '';
    if (call.state === 'ended') return t(`call.ended.${call.endReason ?? 'hangup'}`);
    const s = c.session;
    if (!s) return call.state === 'offered' ? t('call.calling') : '';
    if (s.phase === 'connected' && s.quality === 'poor') return t('call.quality.poorAnnounce');
    if (s.phase === 'connected' || s.phase === 'reconnecting') return t(`call.state.${s.phase}`);
    return call.state === 'offered' ? t('call.calling') : '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const s = this.session;
    const remote = this.renderRoot.querySelector<HTMLMediaElement>('.remote');
    const local = this.renderRoot.querySelector<HTMLVideoElement>('video.local');
    if (local && s?.local && local.srcObject !== s.local) local.srcObject = s.local;
    if (remote && s?.remote && remote.srcObject !== s.remote) {
      remote.srcObject = s.remote;
      remote.play().catch(() => (this.soundBlocked = true));
    }
  }

  private get mayCall(): boolean {
    const c = this.conversation;
    // Only the chat widget has the visitor's browser to call (not a messenger conversation).
    return !!c && !!this.me && c.status === 'active' && c.agentId === this.me.id && c.channel === 'widget';
  }

  override render() {
    const c = this.calls;
    const call = c.call;
    const here = call && this.conversation && call.conversationId === this.conversation.id;
    return html`${c.problem
        ? html`<p class="problem" role="alert">${t(`call.problems.${c.problem}`)} <button type="button" class="secondary" @click=${() => c.dismiss()}>${t('call.close')}</button></p>`
        : nothing}
      ${call && call.state !== 'ended' && !here
        ? html`<p class="elsewhere">${t('call.elsewhere')} <button type="button" class="danger" @click=${() => c.hangup()}>${t('call.hangup')}</button></p>`
        : nothing}
      ${here ? this.renderCall() : c.offering ? html`<p role="status">${t('call.calling')}</p>` : this.renderOffer()}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }

  private renderOffer() {
    const c = this.calls;
    if (!this.mayCall || (c.call && c.call.state !== 'ended')) return nothing;
    const id = this.conversation!.id;
    return html`<div class="offer" part="offer" role="group" aria-label=${t('call.offerLabel')}>
      <button type="button" class="secondary" @click=${() => void c.offer(id, 'voice')}>${t('call.voice')}</button>
      <button type="button" class="secondary" @click=${() => void c.offer(id, 'video')}>${t('call.video')}</button>
    </div>`;
  }

  private renderCall() {
    const c = this.calls;
    const call = c.call!;
    const s = c.session;
    const media = call.acceptedMedia ?? call.media;
    if (call.state === 'ended') {
      const seconds = call.acceptedAt && call.endedAt ? Math.round((call.endedAt - call.acceptedAt) / 1000) : null;
      return html`<section class="call" aria-labelledby="call-title">
        <h2 id="call-title">${t(`call.title.${media}`)}</h2>
        <p>${t(`call.ended.${call.endReason ?? 'hangup'}`)} ${seconds !== null ? t('call.duration', { time: clock(seconds) }) : nothing}</p>
        <button type="button" class="secondary" @click=${() => c.dismiss()}>${t('call.close')}</button>
      </section>`;
    }
    if (!s) {
      return html`<section class="call" aria-labelledby="call-title">
        <h2 id="call-title">${t(`call.title.${media}`)}</h2>
        <p>${t('call.otherWindow')}</p>
        <button type="button" class="danger" @click=${() => c.hangup()}>${t('call.hangup')}</button>
      </section>`;
    }
    const phase = call.state === 'offered' ? 'offered' : s.phase === 'connected' ? 'connected' : s.phase === 'reconnecting' ? 'reconnecting' : 'connecting';
    const seconds = s.connectedAt ? Math.floor((Date.now() - s.connectedAt) / 1000) : null;
    const video = media === 'video';
    return html`<section class="call" aria-labelledby="call-title">
      <h2 id="call-title">${t(`call.title.${media}`)}</h2>
      <p class="status">
        <span part="call-state" data-phase=${phase}>${phase === 'offered' ? t('call.calling') : t(`call.state.${phase}`)}</span>
        ${seconds !== null ? html`<span>${t('call.duration', { time: clock(seconds) })}</span>` : nothing}
        ${s.quality && phase === 'connected' ? html`<span class="quality ${s.quality}">${t('call.quality.label', { quality: t(`call.quality.${s.quality}`) })}</span>` : nothing}
      </p>
      ${phase === 'offered'
        ? nothing
        : video
          ? html`<div class="media">
              <video class="remote" autoplay playsinline aria-label=${t('call.remoteVideo')}></video>
              ${s.local?.getVideoTracks().length ? html`<video class="local" autoplay playsinline muted aria-label=${t('call.ownVideo')}></video>` : nothing}
            </div>`
          : html`<audio class="remote" autoplay></audio>`}
      ${phase !== 'offered' && !s.remoteMedia.audio ? html`<p class="hint">${t('call.remoteMuted')}</p>` : nothing}
      ${phase !== 'offered' && video && !s.remoteMedia.video ? html`<p class="hint">${t('call.remoteCameraOff')}</p>` : nothing}
      ${this.soundBlocked ? html`<button type="button" @click=${this.playSound}>${t('call.sound')}</button>` : nothing}
      <div class="controls" role="group" aria-label=${t('call.controls')}>
        ${phase === 'offered'
          ? nothing
          : html`<button type="button" class="secondary" part="call-mute" aria-pressed=${s.muted ? 'true' : 'false'} @click=${() => s.setMuted(!s.muted)}>${t('call.mute')}</button>
              ${video && s.local?.getVideoTracks().length
                ? html`<button type="button" class="secondary" part="call-camera" aria-pressed=${s.cameraOff ? 'true' : 'false'} @click=${() => s.setCameraOff(!s.cameraOff)}>${t('call.cameraOff')}</button>`
                : nothing}`}
        <button type="button" class="danger" part="call-hangup" @click=${() => c.hangup()}>${phase === 'offered' ? t('call.cancel') : t('call.hangup')}</button>
      </div>
    </section>`;
  }

  private playSound(): void {
    void this.renderRoot.querySelector<HTMLMediaElement>('.remote')?.play().then(() => (this.soundBlocked = false));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-call-panel': DireturnCallPanel;
  }
}
