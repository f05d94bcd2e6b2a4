import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CallDto, CallMedia, CallServerFrame, ErrorFrame } from '@direturn/protocol';
import { CallSession } from '@direturn/protocol/call';
import { I18nController, useNamespace } from '../i18n/i18n.js';
import { tokens, visuallyHidden } from '../theme/tokens.js';
import { surfaces } from '../theme/surfaces.js';
import type { VisitorConnection } from '../chat/connection.js';
import type { HostBridge } from '../chat/chat-app.js';
import { homeEntries } from '../home/entries.js';
import { callStyles } from './call.styles.js';

/**
 * `incoming`: offered, waiting for the visitor; `preparing`: the host loads the frame again with
 * microphone (and camera); `permission`: the browser asks for the devices; `active`: the call;
 * `interrupted`: this page lost a call it held (a reload); the rest say why there is no call.
 */
type Step = 'incoming' | 'preparing' | 'permission' | 'active' | 'interrupted' | 'ended' | 'blocked' | 'denied' | 'nodevice';

/** A host that does not load the frame again within this long cannot grant devices (an old widget.js). */
const HOST_GRANT_TIMEOUT_MS = 8_000;

interface FeaturePolicy {
  allowsFeature(feature: string): boolean;
}

const clock = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * @summary A call the counsellor offers inside the conversation: accept (video or voice only) or
 * decline; only on acceptance are microphone and camera asked for. Then the other side's picture
 * and one's own, mute, camera off, hang up, the call's state and connection quality, announced to
 * screen readers. Its own chunk with its texts (locales/call/), loaded when a call is offered.
 *
 * In a partner page the frame has no devices until the visitor accepts: then the host grants them
 * in the frame's `allow` attribute and loads the frame again (the browser reads `allow` when the
 * frame navigates); the chat comes back with the call (`grant`), and the browser asks for the
 * devices. A page whose Permissions-Policy forbids them gets a clear message and the alternatives.
 *
 * @fires direturn-call-close - The visitor closed the view of a call that is over.
 * @fires direturn-open-callback - The visitor, who cannot take the call here, asks for a call back instead.
 */
@customElement('direturn-call-view')
export class CallView extends LitElement {
  static override styles = [tokens, surfaces, visuallyHidden, callStyles];

  @property({ attribute: false }) connection: VisitorConnection | undefined;
  @property({ attribute: false }) bridge: HostBridge | undefined;
  /**
   * `<media>.<call id>` from the frame's address: the call the visitor accepted before the host
   * loaded the frame again with the devices.
   */
  @property({ attribute: false }) grant: string | null = null;
  private granted: { callId: string; media: CallMedia } | null = null;

  @state() private step: Step = 'incoming';
  @state() private textsReady = false;
  @state() private announcement = '';
  @state() private soundBlocked = false;
  @state() private revision = 0;

  /** The call this view shows. */
  call: CallDto | null = null;
  /** The media side of the call once accepted (statistics are read from its connection). */
  session: CallSession | null = null;

  private readonly i18n = new I18nController(this);
  private grantTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private wasOnline = true;
  private lastPhase = '';
  private lastQuality = '';
  /** The grant, until the call it names arrives. */
  private pendingGrant: { callId: string; media: CallMedia } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void useNamespace('call')
      .catch(() => undefined)
      .then(() => {
        this.textsReady = true;
        if (this.step === 'incoming' && this.call?.state === 'offered') this.announceOffer();
      });
    const grant = /^(voice|video)\.([A-Za-z0-9_-]{8,64})$/.exec(this.grant ?? '');
    this.granted = grant ? { media: grant[1] as CallMedia, callId: grant[2]! } : null;
    this.pendingGrant = this.granted;
    // Loaded again for a call that is over by now (no call frame comes): nothing to show.
    if (this.granted) this.grantTimer = setTimeout(() => !this.call && this.close(), HOST_GRANT_TIMEOUT_MS);
    this.connection?.addEventListener('call', this.onFrame);
    this.connection?.addEventListener('change', this.onConnection);
    this.connection?.addEventListener('error', this.onError);
    window.addEventListener('pagehide', this.onPageHide);
    if (this.connection?.call) this.onCall(this.connection.call);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection?.removeEventListener('call', this.onFrame);
    this.connection?.removeEventListener('change', this.onConnection);
    this.connection?.removeEventListener('error', this.onError);
    window.removeEventListener('pagehide', this.onPageHide);
    clearTimeout(this.grantTimer);
    clearInterval(this.ticker);
  }

  // ---- what arrives ----

  private onFrame = (event: Event): void => {
    const frame = (event as CustomEvent<CallServerFrame>).detail;
    if (frame.type === 'call') return this.onCall(frame.call);
    if (!this.session || frame.callId !== this.session.call.id) return; // another tab's call
    if (frame.type === 'call-signal') this.session.signal(frame.signal);
    else this.session.setIce(frame.ice);
  };

  private onCall(call: CallDto): void {
    // A new call after one that is over replaces it; a second one while this goes on cannot happen.
    if (this.call && call.id !== this.call.id) {
      if (this.session && this.session.phase !== 'ended') return;
      this.reset();
    }
    this.call = call;
    if (this.session) return this.session.update(call);
    if (call.state === 'offered') {
      if (this.pendingGrant?.callId === call.id) {
        const media = this.pendingGrant.media;
        this.pendingGrant = null;
        void this.acquire(media);
      } else if (this.step !== 'preparing' && this.step !== 'permission') {
        this.step = 'incoming';
        if (this.textsReady) this.announceOffer();
      }
    } else if (call.state === 'accepted') {
      // Accepted, but this page holds no media: it was reloaded (or it is another tab).
      if (this.step !== 'permission') this.step = 'interrupted';
    } else {
      clearTimeout(this.grantTimer);
      if (this.step === 'incoming' || this.step === 'preparing' || this.step === 'permission' || this.step === 'interrupted') this.showEnded();
    }
    this.revision++;
  }

  private onConnection = (): void => {
    const online = this.connection?.state === 'online';
    // Back online (a network change): the call's media side joins again and finds a new path.
    if (online && !this.wasOnline) this.session?.online();
    this.wasOnline = online;
  };

  private onError = (event: Event): void => {
    const frame = (event as CustomEvent<ErrorFrame>).detail;
    if (!this.call || frame.ref !== `call:${this.call.id}`) return;
    // The call is over on the server (or was never ours): end it here too.
    if (frame.code === 'not_found') {
      this.session?.close();
      this.session = null;
      this.showEnded();
    }
  };

  private onPageHide = (): void => {
    // The tab closes (or navigates away): hang up now rather than after the grace period.
    if (this.session && this.session.phase !== 'ended') this.session.hangup();
  };

  // ---- what the visitor does ----

  /** Accepts: devices are asked for here and now, or the host grants them first (the frame loads again). */
  private accept(media: CallMedia): void {
    const call = this.call;
    if (!call || call.state !== 'offered') return;
    if (this.allowedHere(media) !== false) {
      void this.acquire(media);
      return;
    }
    this.step = 'preparing';
    this.bridge!.post({ type: 'call', callId: call.id, media });
    // The host loads the frame again at once; if it does not, it cannot (an old or altered page).
    clearTimeout(this.grantTimer);
    this.grantTimer = setTimeout(() => this.refuse('blocked'), HOST_GRANT_TIMEOUT_MS);
  }

  /**
   * Whether this document may use the devices: true, false, or undefined where the browser does
   * not say (no Feature Policy API: then the address tells what the host granted).
   */
  private allowedHere(media: CallMedia): boolean | undefined {
    if (!this.bridge) return true; // the frame opened on its own: DiReturn's own page
    const policy = (document as Document & { featurePolicy?: FeaturePolicy }).featurePolicy;
    if (policy) return policy.allowsFeature('microphone') && (media === 'voice' || policy.allowsFeature('camera'));
    return this.granted?.media === 'video' || this.granted?.media === media ? undefined : false;
  }

  private async acquire(media: CallMedia): Promise<void> {
    const call = this.call;
    if (!call) return;
    this.step = 'permission';
    // Loaded again with the devices, and still not allowed: the page's own policy forbids them.
    if (this.allowedHere(media) === false) return this.refuse('blocked');
    let stream: MediaStream | undefined;
    let taken = media;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: media === 'video' ? { width: { ideal: 640 }, height: { ideal: 480 } } : false });
    } catch (err) {
      const name = (err as DOMException)?.name;
      if (media === 'video' && (name === 'NotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError')) {
        // No camera (or it is busy): a voice call still works.
        stream = await navigator.mediaDevices.getUserMedia({ audio: true }).catch(() => undefined);
        taken = 'voice';
      }
      if (!stream) return this.refuse(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'nodevice');
    }
    if (!this.call || this.call.id !== call.id || this.call.state === 'ended') {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    const connection = this.connection!;
    const session = new CallSession(this.call, { role: 'answerer', transport: { send: (frame) => connection.sendCall(frame) } });
    this.session = session;
    session.addEventListener('change', this.onSession);
    session.addEventListener('ended', this.onSessionEnded);
    session.start(stream, taken);
    this.step = 'active';
    this.ticker = setInterval(() => this.revision++, 1000);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** The call cannot happen here: say why, and tell the counsellor (so they can offer another way). */
  private refuse(step: 'blocked' | 'denied' | 'nodevice'): void {
    clearTimeout(this.grantTimer);
    const call = this.call;
    if (call && call.state !== 'ended') this.connection?.sendCall({ type: 'call-decline', callId: call.id, reason: step === 'nodevice' ? 'failed' : 'blocked' });
    this.step = step;
    this.announce(this.i18n.t(`call.${step}`));
  }

  private decline(): void {
    const call = this.call;
    if (!call) return;
    this.connection?.sendCall({ type: 'call-decline', callId: call.id, reason: 'declined' });
    // Shown as over at once (the server confirms); closing the view then hides it for good.
    this.call = { ...call, state: 'ended', endReason: 'declined', endedBy: 'visitor' };
    this.showEnded();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h2')?.focus());
  }

  /** Opens the chat's callback form instead (the chat app closes this view). */
  private askCallback(): void {
    this.dispatchEvent(new CustomEvent('direturn-open-callback', { bubbles: true, composed: true }));
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('direturn-call-close', { bubbles: true, composed: true }));
  }

  // ---- the session ----

  private onSession = (): void => {
    const s = this.session;
    if (!s) return;
    const { t } = this.i18n;
    if (s.phase !== this.lastPhase) {
      if (s.phase === 'connected' || s.phase === 'reconnecting') this.announce(t(`call.state.${s.phase}`));
      this.lastPhase = s.phase;
    }
    if (s.quality && s.quality !== this.lastQuality) {
      if (s.quality === 'poor') this.announce(t('call.quality.poorAnnounce'));
      this.lastQuality = s.quality;
    }
    this.revision++;
  };

  private onSessionEnded = (): void => {
    clearInterval(this.ticker);
    if (this.session) this.call = this.session.call;
    this.showEnded();
  };

  private showEnded(): void {
    this.step = 'ended';
    this.announce(this.endedText());
  }

  private endedText(): string {
    const { t } = this.i18n;
    const reason = this.call?.endReason ?? 'hangup';
    const seconds = this.call?.acceptedAt && this.call.endedAt ? Math.round((this.call.endedAt - this.call.acceptedAt) / 1000) : null;
    const text = t(`call.ended.${reason}`, { defaultValue: t('call.ended.hangup') });
    return seconds !== null && reason !== 'declined' ? `${text} ${t('call.duration', { time: clock(seconds) })}` : text;
  }

  private reset(): void {
    this.session?.close();
    this.session = null;
    this.step = 'incoming';
    this.soundBlocked = false;
    this.lastPhase = this.lastQuality = '';
    clearInterval(this.ticker);
  }

  private announceOffer(): void {
    const call = this.call;
    if (!call) return;
    this.announce(this.i18n.t(`call.incoming.${call.media}`, { name: this.counsellor() }));
  }

  private counsellor(): string {
    return this.connection?.conversation?.agentName ?? this.i18n.t('call.counsellor');
  }

  private announce(text: string): void {
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const s = this.session;
    const remote = this.renderRoot.querySelector<HTMLMediaElement>('.remote');
    const local = this.renderRoot.querySelector<HTMLVideoElement>('video.local');
    if (local && s?.local && local.srcObject !== s.local) local.srcObject = s.local;
    if (remote && s?.remote && remote.srcObject !== s.remote) {
      remote.srcObject = s.remote;
      // Sound without a fresh tap can be refused (the frame was loaded again): then a button starts it.
      remote.play().catch(() => (this.soundBlocked = true));
    }
  }

  private playSound(): void {
    const remote = this.renderRoot.querySelector<HTMLMediaElement>('.remote');
    void remote?.play().then(() => (this.soundBlocked = false));
  }

  // ---- rendering ----

  override render() {
    if (!this.textsReady || !this.call) return html`<p role="status">…</p>`;
    const { t } = this.i18n;
    const media = this.session?.media ?? this.call.media;
    return html`<section aria-labelledby="call-title">
        <h2 id="call-title" tabindex="-1">${t(`call.title.${media}`)}</h2>
        ${this.body()}
      </section>
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }

  private body() {
    const { t } = this.i18n;
    const call = this.call!;
    switch (this.step) {
      case 'incoming':
        return html`<p>${t(`call.incoming.${call.media}`, { name: this.counsellor() })}</p>
          <p class="hint">${t('call.privacy')}</p>
          <div class="actions">
            ${call.media === 'video'
              ? html`<button type="button" @click=${() => this.accept('video')}>${t('call.acceptVideo')}</button>
                  <button type="button" class="secondary" @click=${() => this.accept('voice')}>${t('call.acceptVoice')}</button>`
              : html`<button type="button" @click=${() => this.accept('voice')}>${t('call.accept')}</button>`}
            <button type="button" class="secondary" @click=${this.decline}>${t('call.decline')}</button>
          </div>`;
      case 'preparing':
        return html`<p role="status">${t('call.preparing')}</p>`;
      case 'permission':
        return html`<p role="status">${t(call.media === 'video' ? 'call.permissionVideo' : 'call.permissionVoice')}</p>`;
      case 'active':
        return this.active();
      case 'interrupted':
        return html`<p>${t('call.interrupted')}</p>
          <div class="actions">
            <button type="button" class="hangup" @click=${() => this.connection?.sendCall({ type: 'call-hangup', callId: call.id, reason: 'hangup' })}>${t('call.hangup')}</button>
          </div>`;
      case 'ended':
        return html`<p>${this.endedText()}</p>
          <div class="actions"><button type="button" class="secondary" @click=${this.close}>${t('call.close')}</button></div>`;
      default:
        // blocked, denied, nodevice: why, and what the visitor can do instead (the callback form, where the chat has it).
        return html`<p class="error" part="call-error">${t(`call.${this.step}`)}</p>
          <p>${t('call.alternative')}</p>
          <div class="actions">
            ${homeEntries().some((e) => e.id === 'callback')
              ? html`<button type="button" part="call-callback" @click=${this.askCallback}>${t('call.askCallback')}</button>`
              : nothing}
            <button type="button" class="secondary" @click=${this.close}>${t('call.close')}</button>
          </div>`;
    }
  }

  private active() {
    const { t } = this.i18n;
    const s = this.session!;
    const video = s.media === 'video';
    const name = this.counsellor();
    const phase = s.phase === 'connected' ? 'connected' : s.phase === 'reconnecting' ? 'reconnecting' : 'connecting';
    const seconds = s.connectedAt ? Math.floor((Date.now() - s.connectedAt) / 1000) : null;
    return html`<p class="status">
        <span part="call-state" data-phase=${phase}>${t(`call.state.${phase}`)}</span>
        ${seconds !== null ? html`<span>${t('call.duration', { time: clock(seconds) })}</span>` : nothing}
        ${s.quality && phase === 'connected'
          ? html`<span class="quality ${s.quality}" part="call-quality">${t('call.quality.label', { quality: t(`call.quality.${s.quality}`) })}</span>`
          : nothing}
      </p>
      ${video
        ? html`<div class="media">
            <video class="remote" autoplay playsinline aria-label=${t('call.remoteVideo', { name })}></video>
            ${s.local?.getVideoTracks().length ? html`<video class="local" autoplay playsinline muted aria-label=${t('call.ownVideo')}></video>` : nothing}
          </div>`
        : html`<audio class="remote" autoplay></audio>`}
      ${s.remoteMedia.audio ? nothing : html`<p class="hint">${t('call.remoteMuted', { name })}</p>`}
      ${video && !s.remoteMedia.video ? html`<p class="hint">${t('call.remoteCameraOff', { name })}</p>` : nothing}
      ${this.soundBlocked ? html`<p><button type="button" @click=${this.playSound}>${t('call.sound')}</button></p>` : nothing}
      <div class="controls" role="group" aria-label=${t('call.controls')}>
        <button type="button" class="secondary" part="call-mute" aria-pressed=${s.muted ? 'true' : 'false'} @click=${() => s.setMuted(!s.muted)}>${t('call.mute')}</button>
        ${video && s.local?.getVideoTracks().length
          ? html`<button type="button" class="secondary" part="call-camera" aria-pressed=${s.cameraOff ? 'true' : 'false'} @click=${() => s.setCameraOff(!s.cameraOff)}>${t('call.cameraOff')}</button>`
          : nothing}
        <button type="button" class="hangup" part="call-hangup" @click=${() => s.hangup()}>${t('call.hangup')}</button>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-call-view': CallView;
  }
}
