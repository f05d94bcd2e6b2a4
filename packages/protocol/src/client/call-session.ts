/**
 * One side of a call, the part both browser apps share (`@direturn/protocol/call`): the
 * RTCPeerConnection, signalling over the app's socket, ICE candidates gathered and sent in small
 * batches, ICE restarts after a network change, renewed TURN credentials, mute and camera, and the
 * connection's quality from `getStats`. The counsellor's console is the `offerer` (it makes every
 * SDP offer, restarts included), the visitor's widget the `answerer`; with fixed roles the two can
 * never offer at once. No Lit and no DOM beyond WebRTC: the apps render it.
 *
 * Events (plain `Event`s; read the state from the instance): `change` (anything shown changed),
 * `ended` (the call is over, `call.endReason` says why).
 */
import { CALL_TIMINGS, callQuality, type CallDto, type CallMedia, type CallQuality, type CallSignal, type IceCandidateDto, type IceConfigDto } from '../calls.js';
import type { AgentCallFrame, VisitorCallFrame } from '../call-schemas.js';
import { browserTimers, type Timers } from './socket-core.js';

export type { CallQuality };

/** The frames a session sends (`call-accept` only on the answering side; offers are the app's). */
export type CallSessionFrame = Extract<VisitorCallFrame | AgentCallFrame, { type: 'call-accept' | 'call-hangup' | 'call-signal' | 'call-ice' | 'call-join' }>;

/** How the app's socket sends a call frame; false while it is offline (the frame is dropped). */
export interface CallTransport {
  send(frame: CallSessionFrame): boolean;
}

/**
 * `waiting`: accepted and started here, no media path yet; `connected`; `reconnecting`: the path
 * was lost (network change) and an ICE restart is under way; `ended`.
 */
export type CallPhase = 'offered' | 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'ended';

export interface CallStatsReading {
  bytesReceived: number;
  bytesSent: number;
  /** Seconds, of the selected candidate pair. */
  roundTripTime: number | undefined;
  /** Share of incoming packets lost since the previous reading. */
  lossRatio: number | undefined;
  /** What kind of path the media takes: `host`/`srflx` (direct) or `relay` (through TURN). */
  localCandidateType: string | undefined;
}

export interface CallSessionOptions {
  role: 'offerer' | 'answerer';
  transport: CallTransport;
  PeerConnection?: typeof RTCPeerConnection;
  timers?: Timers;
}

/** A lost path gets this long to come back by itself before an ICE restart. */
const DISCONNECTED_RESTART_MS = 3_000;
/** At most one restart request per this long. */
const RESTART_MIN_INTERVAL_MS = 5_000;
/** New TURN credentials this long before the old ones expire. */
const ICE_RENEW_BEFORE_MS = 5 * 60_000;

export class CallSession extends EventTarget {
  call: CallDto;
  phase: CallPhase;
  quality: CallQuality | null = null;
  local: MediaStream | null = null;
  remote: MediaStream | null = null;
  muted = false;
  cameraOff = false;
  /** The other side's microphone and camera, as it last said. */
  remoteMedia = { audio: true, video: true };
  /** Seconds since the media first connected (null before). */
  connectedAt: number | null = null;
  lastStats: CallStatsReading | null = null;

  private pc: RTCPeerConnection | null = null;
  private ice: IceConfigDto | null = null;
  private started = false;
  private readonly pendingSignals: CallSignal[] = [];
  private pendingCandidates: IceCandidateDto[] = [];
  private remoteCandidates: RTCIceCandidateInit[] = [];
  private batchTimer: unknown;
  private statsTimer: unknown;
  private restartTimer: unknown;
  private renewTimer: unknown;
  private lastRestart = 0;
  private previousPackets = { lost: 0, received: 0 };
  private readonly timers: Timers;
  private readonly PC: typeof RTCPeerConnection;

  constructor(
    call: CallDto,
    private readonly opts: CallSessionOptions,
  ) {
    super();
    this.call = call;
    this.phase = call.state === 'ended' ? 'ended' : call.state === 'accepted' ? 'waiting' : 'offered';
    this.timers = opts.timers ?? browserTimers;
    this.PC = opts.PeerConnection ?? globalThis.RTCPeerConnection;
  }

  get role(): 'offerer' | 'answerer' {
    return this.opts.role;
  }

  /** The media this call carries once accepted (what the visitor chose), else what was offered. */
  get media(): CallMedia {
    return this.call.acceptedMedia ?? this.call.media;
  }

  /** The connection itself, for statistics (read-only use). */
  get peerConnection(): RTCPeerConnection | null {
    return this.pc;
  }

  /**
   * This side has its microphone (and camera): it joins the call on the server and asks for ICE
   * servers. The visitor's side sends its acceptance first (with the media it chose).
   */
  start(local: MediaStream, acceptAs?: CallMedia): void {
    if (this.started || this.phase === 'ended') return;
    this.started = true;
    this.local = local;
    if (acceptAs) this.send({ type: 'call-accept', callId: this.call.id, media: acceptAs });
    this.join();
    if (this.call.state === 'accepted') this.phase = 'connecting';
    this.changed();
  }

  /** The socket is (back) online: join again, and find a new path if the old one may be gone. */
  online(): void {
    if (!this.started || this.phase === 'ended') return;
    this.join();
    if (this.pc && this.phase !== 'connected') this.restart();
  }

  private join(): void {
    this.send({ type: 'call-join', callId: this.call.id });
    this.send({ type: 'call-ice', callId: this.call.id });
  }

  // ---- frames from the socket ----

  /** A `call` frame for this call. */
  update(call: CallDto): void {
    if (call.id !== this.call.id) return;
    this.call = call;
    if (call.state === 'ended') return this.finish();
    if (call.state === 'accepted' && this.started) {
      if (this.phase === 'offered' || this.phase === 'waiting') this.phase = 'connecting';
      // Taken as a voice call: no camera on this side either.
      if (call.acceptedMedia === 'voice') for (const t of this.local?.getVideoTracks() ?? []) {
        t.stop();
        this.local?.removeTrack(t);
      }
      this.ensurePeer();
    }
    this.changed();
  }

  /** A `call-ice` frame: servers and credentials (again before they expire). */
  setIce(config: IceConfigDto): void {
    if (this.phase === 'ended') return;
    this.ice = config;
    this.timers.clearTimeout(this.renewTimer);
    if (config.expiresAt) {
      const wait = Math.max(10_000, config.expiresAt - Date.now() - ICE_RENEW_BEFORE_MS);
      this.renewTimer = this.timers.setTimeout(() => this.send({ type: 'call-ice', callId: this.call.id }), wait);
    }
    if (this.pc) {
      // New credentials are used by the next gathering: restart to move onto them.
      this.pc.setConfiguration(this.rtcConfig());
      if (config.expiresAt && this.phase === 'connected') this.restart();
    } else this.ensurePeer();
  }

  /** A `call-signal` frame from the other side. */
  signal(signal: CallSignal): void {
    if (this.phase === 'ended') return;
    if (!this.pc) {
      this.pendingSignals.push(signal);
      return;
    }
    void this.apply(signal).catch(() => this.restart());
  }

  // ---- what the person does ----

  setMuted(muted: boolean): void {
    this.muted = muted;
    for (const t of this.local?.getAudioTracks() ?? []) t.enabled = !muted;
    this.tellMedia();
    this.changed();
  }

  setCameraOff(off: boolean): void {
    this.cameraOff = off;
    for (const t of this.local?.getVideoTracks() ?? []) t.enabled = !off;
    this.tellMedia();
    this.changed();
  }

  /** Ends the call (before acceptance: withdraws the offer, or declines it on the visitor's side). */
  hangup(reason: 'hangup' | 'failed' = 'hangup'): void {
    if (this.phase === 'ended') return;
    this.send({ type: 'call-hangup', callId: this.call.id, reason });
    this.finish();
  }

  /** Stops everything here without telling the server (the page goes away, or the call ended). */
  close(): void {
    this.timers.clearTimeout(this.batchTimer);
    this.timers.clearTimeout(this.statsTimer);
    this.timers.clearTimeout(this.restartTimer);
    this.timers.clearTimeout(this.renewTimer);
    for (const t of this.local?.getTracks() ?? []) t.stop();
    const pc = this.pc;
    this.pc = null;
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = pc.onnegotiationneeded = null;
      pc.close();
    }
  }

  /** Reads the statistics now (also done every CALL_TIMINGS.statsIntervalMs while connected). */
  async readStats(): Promise<CallStatsReading | null> {
    const pc = this.pc;
    if (!pc) return null;
    const report = await pc.getStats();
    let bytesReceived = 0;
    let bytesSent = 0;
    let lost = 0;
    let received = 0;
    let pairId: string | undefined;
    const byId = new Map<string, Record<string, unknown>>();
    report.forEach((s: Record<string, unknown>) => {
      byId.set(s['id'] as string, s);
      if (s['type'] === 'inbound-rtp') {
        bytesReceived += Number(s['bytesReceived'] ?? 0);
        lost += Number(s['packetsLost'] ?? 0);
        received += Number(s['packetsReceived'] ?? 0);
      } else if (s['type'] === 'outbound-rtp') bytesSent += Number(s['bytesSent'] ?? 0);
      else if (s['type'] === 'transport' && typeof s['selectedCandidatePairId'] === 'string') pairId = s['selectedCandidatePairId'];
    });
    const pair = pairId ? byId.get(pairId) : undefined;
    const local = pair ? byId.get(pair['localCandidateId'] as string) : undefined;
    const dLost = lost - this.previousPackets.lost;
    const dReceived = received - this.previousPackets.received;
    this.previousPackets = { lost, received };
    const reading: CallStatsReading = {
      bytesReceived,
      bytesSent,
      roundTripTime: typeof pair?.['currentRoundTripTime'] === 'number' ? pair['currentRoundTripTime'] : undefined,
      lossRatio: dLost + dReceived > 0 ? Math.max(0, dLost) / (dLost + dReceived) : undefined,
      localCandidateType: typeof local?.['candidateType'] === 'string' ? local['candidateType'] : undefined,
    };
    this.lastStats = reading;
    return reading;
  }

  // ---- internals ----

  private send(frame: CallSessionFrame): boolean {
    return this.opts.transport.send(frame);
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  private finish(): void {
    const wasEnded = this.phase === 'ended';
    this.phase = 'ended';
    this.close();
    this.changed();
    if (!wasEnded) this.dispatchEvent(new Event('ended'));
  }

  private rtcConfig(): RTCConfiguration {
    const ice = this.ice!;
    return { iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy, bundlePolicy: 'max-bundle' };
  }

  /** The connection, once this side started, the call is accepted and the ICE servers are known. */
  private ensurePeer(): void {
    if (this.pc || !this.started || !this.ice || this.call.state !== 'accepted' || this.phase === 'ended') return;
    const pc = new this.PC(this.rtcConfig());
    this.pc = pc;
    pc.onicecandidate = (e) => {
      if (!e.candidate || !e.candidate.candidate) return;
      const c = e.candidate.toJSON();
      this.pendingCandidates.push({ candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null });
      this.batchTimer ??= this.timers.setTimeout(() => this.flushCandidates(), CALL_TIMINGS.iceBatchMs);
    };
    pc.ontrack = (e) => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      if (this.remote !== stream) this.remote = stream;
      this.changed();
    };
    pc.onconnectionstatechange = () => this.onConnectionState();
    if (this.opts.role === 'offerer') pc.onnegotiationneeded = () => void this.offer().catch(() => undefined);
    for (const track of this.local?.getTracks() ?? []) pc.addTrack(track, this.local!);
    // The visitor's side adds nothing to offer; it answers what the offer brings.
    for (const s of this.pendingSignals.splice(0)) this.signal(s);
    this.scheduleStats();
  }

  private async offer(iceRestart = false): Promise<void> {
    const pc = this.pc;
    if (!pc || pc.signalingState !== 'stable') return;
    await pc.setLocalDescription(await pc.createOffer(iceRestart ? { iceRestart: true } : {}));
    const d = pc.localDescription;
    if (d && this.pc === pc) this.send({ type: 'call-signal', callId: this.call.id, signal: { kind: 'sdp', description: { type: 'offer', sdp: d.sdp } } });
  }

  private async apply(signal: CallSignal): Promise<void> {
    const pc = this.pc!;
    switch (signal.kind) {
      case 'sdp': {
        const { description } = signal;
        if (description.type === 'offer' && this.opts.role !== 'answerer') return;
        if (description.type === 'answer' && pc.signalingState !== 'have-local-offer') return;
        await pc.setRemoteDescription(description);
        for (const c of this.remoteCandidates.splice(0)) await pc.addIceCandidate(c).catch(() => undefined);
        if (description.type === 'offer') {
          await pc.setLocalDescription(await pc.createAnswer());
          const d = pc.localDescription;
          if (d && this.pc === pc) this.send({ type: 'call-signal', callId: this.call.id, signal: { kind: 'sdp', description: { type: 'answer', sdp: d.sdp } } });
          this.tellMedia();
        }
        return;
      }
      case 'ice':
        for (const c of signal.candidates) {
          const init: RTCIceCandidateInit = { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null };
          // Candidates may overtake the description they belong to: kept until it is set.
          if (!pc.remoteDescription) this.remoteCandidates.push(init);
          else await pc.addIceCandidate(init).catch(() => undefined);
        }
        return;
      case 'restart':
        if (this.opts.role === 'offerer') this.restart(true);
        return;
      case 'media':
        this.remoteMedia = { audio: signal.audio, video: signal.video };
        this.changed();
        return;
    }
  }

  private flushCandidates(): void {
    this.batchTimer = undefined;
    const candidates = this.pendingCandidates.splice(0);
    for (let i = 0; i < candidates.length; i += 20) {
      this.send({ type: 'call-signal', callId: this.call.id, signal: { kind: 'ice', candidates: candidates.slice(i, i + 20) } });
    }
  }

  private tellMedia(): void {
    if (!this.started) return;
    this.send({ type: 'call-signal', callId: this.call.id, signal: { kind: 'media', audio: !this.muted, video: !this.cameraOff && (this.local?.getVideoTracks().length ?? 0) > 0 } });
  }

  private onConnectionState(): void {
    const pc = this.pc;
    if (!pc) return;
    this.timers.clearTimeout(this.restartTimer);
    switch (pc.connectionState) {
      case 'connected':
        if (this.phase !== 'connected' && this.connectedAt === null) {
          this.connectedAt = Date.now();
          this.tellMedia();
        }
        this.phase = 'connected';
        break;
      case 'disconnected':
        // Often back by itself within seconds (a moment without signal); else a restart.
        this.phase = 'reconnecting';
        this.restartTimer = this.timers.setTimeout(() => this.restart(), DISCONNECTED_RESTART_MS);
        break;
      case 'failed':
        this.phase = 'reconnecting';
        this.restart();
        break;
      default:
        break;
    }
    this.changed();
  }

  /** An ICE restart: the offering side makes a new offer; the answering side asks it to. */
  private restart(asked = false): void {
    const pc = this.pc;
    if (!pc || this.phase === 'ended') return;
    const now = Date.now();
    if (!asked && now - this.lastRestart < RESTART_MIN_INTERVAL_MS) return;
    this.lastRestart = now;
    if (this.opts.role === 'offerer') {
      pc.restartIce();
      // restartIce fires negotiationneeded when stable; a pending exchange restarts after it.
    } else this.send({ type: 'call-signal', callId: this.call.id, signal: { kind: 'restart' } });
  }

  private scheduleStats(): void {
    this.timers.clearTimeout(this.statsTimer);
    this.statsTimer = this.timers.setTimeout(async () => {
      if (!this.pc) return;
      const s = await this.readStats().catch(() => null);
      if (s && this.phase === 'connected') {
        const q = callQuality(s.roundTripTime, s.lossRatio);
        if (q !== this.quality) {
          this.quality = q;
          this.changed();
        }
      }
      this.scheduleStats();
    }, CALL_TIMINGS.statsIntervalMs);
  }
}
