/**
 * The counsellor's call, for the whole console (one at a time): the offer, the media side once the
 * visitor accepts (a CallSession, offering side), and the call frames of the agent socket. The
 * console store forwards the frames here and lends its socket; the call panel renders it. It lives
 * outside any element, so the call goes on when the counsellor opens another conversation.
 *
 * Events: `change`.
 */
import type { AgentCallFrame, CallDto, CallMedia, CallServerFrame, ErrorFrame } from '@direturn/protocol';
import { CallSession } from '@direturn/protocol/call';

export type CallProblem = 'devices' | 'busy' | 'generic';

export class ConsoleCalls extends EventTarget {
  /** The counsellor's current (or just ended) call, as the server last said. */
  call: CallDto | null = null;
  /** The media side, when this console holds the call. */
  session: CallSession | null = null;
  /** An offer this console sent and the server has not confirmed yet. */
  offering: { conversationId: string; media: CallMedia } | null = null;
  problem: CallProblem | null = null;

  private send: ((frame: AgentCallFrame) => boolean) | null = null;
  private stream: MediaStream | null = null;

  constructor(private readonly getUserMedia: (c: MediaStreamConstraints) => Promise<MediaStream> = (c) => navigator.mediaDevices.getUserMedia(c)) {
    super();
  }

  /** The socket to send with (the store's), or null after logout. */
  connect(send: ((frame: AgentCallFrame) => boolean) | null): void {
    this.send = send;
  }

  /** The socket is (back) online: the call's media side joins again. */
  online(): void {
    this.session?.online();
  }

  /** Forgets everything (logout): the media stops; the server ends the call after its grace period. */
  reset(): void {
    this.session?.close();
    this.session = null;
    this.stopStream();
    this.call = null;
    this.offering = null;
    this.problem = null;
    this.changed();
  }

  /**
   * Offers the visitor of `conversationId` a call. The counsellor's own microphone (and camera) is
   * asked for first, so an offer is never made that this side cannot keep.
   */
  async offer(conversationId: string, media: CallMedia): Promise<void> {
    if (this.offering || (this.call && this.call.state !== 'ended')) return;
    this.problem = null;
    this.offering = { conversationId, media };
    this.changed();
    try {
      this.stream = await this.getUserMedia({ audio: true, video: media === 'video' ? { width: { ideal: 640 }, height: { ideal: 480 } } : false });
    } catch {
      this.offering = null;
      this.problem = 'devices';
      this.changed();
      return;
    }
    if (!this.offering || !this.send?.({ type: 'call-offer', conversationId, media })) {
      this.offering = null;
      this.stopStream();
      this.problem ??= 'generic';
      this.changed();
    }
  }

  /** Hangs up (or withdraws the offer); also a call this console does not hold (another window, a reload). */
  hangup(): void {
    if (this.session && this.session.phase !== 'ended') return this.session.hangup();
    const call = this.call;
    if (call && call.state !== 'ended') this.send?.({ type: 'call-hangup', callId: call.id, reason: 'hangup' });
  }

  /** Hides a call that is over (and a problem). */
  dismiss(): void {
    if (this.call?.state === 'ended') this.call = null;
    this.problem = null;
    this.changed();
  }

  /** A frame of the agent socket: call state, signalling, ICE servers, or an error about a call. */
  frame(frame: CallServerFrame | ErrorFrame): void {
    if (frame.type === 'error') return this.onError(frame);
    if (frame.type !== 'call') {
      if (this.session && frame.callId === this.session.call.id) {
        if (frame.type === 'call-signal') this.session.signal(frame.signal);
        else this.session.setIce(frame.ice);
      }
      return;
    }
    const call = frame.call;
    if (this.session && this.session.call.id === call.id) {
      this.call = call;
      this.session.update(call);
    } else if (this.offering && this.stream && call.conversationId === this.offering.conversationId && call.state === 'offered') {
      // Our offer: this console holds the call's media.
      this.offering = null;
      this.call = call;
      const send = this.send;
      const session = new CallSession(call, { role: 'offerer', transport: { send: (f) => send?.(f as AgentCallFrame) ?? false } });
      this.session = session;
      session.addEventListener('change', () => this.changed());
      session.addEventListener('ended', () => {
        this.call = session.call;
        this.changed();
      });
      session.start(this.stream);
      this.stream = null;
    } else if (!this.session || this.session.phase === 'ended') {
      // Another window's call, or one this console lost in a reload: shown, and can be ended.
      this.session = null;
      this.call = call;
    }
    this.changed();
  }

  private onError(frame: ErrorFrame): void {
    if (!frame.ref?.startsWith('call:')) return;
    if (this.offering && frame.ref === `call:${this.offering.conversationId}`) {
      this.offering = null;
      this.stopStream();
      this.problem = frame.code === 'call_busy' ? 'busy' : 'generic';
    } else if (this.call && frame.ref === `call:${this.call.id}` && frame.code === 'not_found') {
      // Over on the server: end it here.
      this.session?.close();
      this.session = null;
      if (this.call.state !== 'ended') this.call = { ...this.call, state: 'ended', endReason: 'lost', endedBy: 'system', endedAt: Date.now() };
    } else return;
    this.changed();
  }

  private stopStream(): void {
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

/** The console's one instance. */
export const consoleCalls = new ConsoleCalls();
