/**
 * Voice and video calls inside a conversation (issue 16): a counsellor offers, the visitor accepts
 * or declines, the two browsers talk WebRTC to each other. The server relays only the signalling
 * (SDP and ICE candidates, never stored) between the conversation's visitor and its holder, and
 * mints short-lived TURN credentials; media never passes through it (DTLS-SRTP end to end).
 * Nothing of a call's content is recorded: the conversation gets one system message with the
 * kind of call and its length (`callRecordBody`).
 */

export const CALL_MEDIA = ['voice', 'video'] as const;
export type CallMedia = (typeof CALL_MEDIA)[number];

export type CallState = 'offered' | 'accepted' | 'ended';

/**
 * Why a call ended: `hangup` (either side, after it was accepted), `declined` (the visitor said
 * no), `blocked` (the visitor's page or browser does not allow microphone or camera), `unanswered`
 * (no answer in time), `cancelled` (the counsellor withdrew the offer), `lost` (a side's connection
 * was gone longer than the grace period, e.g. the tab was closed), `closed` (the conversation was
 * closed, handed over or deleted), `failed` (no microphone, or the media could not connect).
 */
export const CALL_END_REASONS = ['hangup', 'declined', 'blocked', 'unanswered', 'cancelled', 'lost', 'closed', 'failed'] as const;
export type CallEndReason = (typeof CALL_END_REASONS)[number];

/** A call as both sides see it. Ids, kinds and times only. */
export interface CallDto {
  id: string;
  conversationId: string;
  /** What the counsellor offered. */
  media: CallMedia;
  state: CallState;
  offeredAt: number;
  /** What the visitor accepted: a video offer may be taken as a voice call (no camera on either side). */
  acceptedMedia?: CallMedia;
  acceptedAt?: number;
  endedAt?: number;
  endReason?: CallEndReason;
  /** Who ended it: one of the two sides, or the server (timeouts, lost connections, closed conversations). */
  endedBy?: 'visitor' | 'agent' | 'system';
}

/** One ICE candidate as `RTCIceCandidate.toJSON()` gives it. */
export interface IceCandidateDto {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/**
 * What one browser tells the other through the server. The counsellor's side always makes the
 * SDP offers (the first one and ICE restarts); the visitor's side answers, and asks for a restart
 * when its network changed.
 */
export type CallSignal =
  | { kind: 'sdp'; description: { type: 'offer' | 'answer'; sdp: string } }
  /** Trickled candidates, gathered for a moment and sent together (fewer frames). */
  | { kind: 'ice'; candidates: IceCandidateDto[] }
  /** The answering side asks the offering side for an ICE restart (its network changed). */
  | { kind: 'restart' }
  /** Microphone and camera on or off, so the other side can say so. */
  | { kind: 'media'; audio: boolean; video: boolean };

export interface IceServerDto {
  urls: string[];
  /** TURN only: `<expiry unix time>:<random id>` (the TURN REST scheme of coturn's `use-auth-secret`). */
  username?: string;
  /** TURN only: base64(HMAC-SHA1(shared secret, username)); valid until the expiry in the username. */
  credential?: string;
}

/** What `RTCPeerConnection` needs to find a path: STUN and TURN servers from the server's configuration. */
export interface IceConfigDto {
  iceServers: IceServerDto[];
  /** `relay`: only through TURN (neither side learns the other's address); `all`: direct where possible. */
  iceTransportPolicy: 'all' | 'relay';
  /** Epoch ms when the TURN credentials expire (ask again before; absent without TURN). */
  expiresAt?: number;
}

// ---- frames: server → visitor and agent ----
/** The call's state changed (and after a reconnect, while one is not over). */
export interface CallFrame { type: 'call'; call: CallDto }
export interface CallSignalFrame { type: 'call-signal'; callId: string; signal: CallSignal }
/** Answer to `call-ice`: servers and fresh credentials, for this side of this call only. */
export interface CallIceFrame { type: 'call-ice'; callId: string; ice: IceConfigDto }
export type CallServerFrame = CallFrame | CallSignalFrame | CallIceFrame;

/** Size limits of signalling, enforced by the server's schemas (frames stay under LIMITS.frameMaxBytes). */
export const CALL_LIMITS = {
  sdpMaxChars: 12_000,
  candidateMaxChars: 512,
  candidatesPerFrame: 20,
} as const;

export const CALL_TIMINGS = {
  /** An offer nobody answers ends as `unanswered` after this long. */
  offerTimeoutMs: 60_000,
  /** Clients read the connection's statistics this often (quality, bytes). */
  statsIntervalMs: 2_000,
  /** Candidates found within this long go out in one frame. */
  iceBatchMs: 50,
} as const;

/** The `ref` of an error frame that answers a call frame: `call:<call id or conversation id>`. */
export const callErrorRef = (id: string): string => `call:${id}`;

/**
 * The body of the system message a call leaves in its conversation: its kind and length in whole
 * seconds, nothing else (`call:video:125`). Clients show it as "Video call, 2 min".
 */
export type CallRecordBody = `call:${CallMedia}:${number}`;

export const callRecordBody = (media: CallMedia, seconds: number): CallRecordBody => `call:${media}:${Math.max(0, Math.round(seconds))}`;

export function parseCallRecord(body: string): { media: CallMedia; seconds: number } | undefined {
  const m = /^call:(voice|video):(\d{1,9})$/.exec(body);
  return m ? { media: m[1] as CallMedia, seconds: Number(m[2]) } : undefined;
}

/** Minutes as the record shows them: at least one, rounded. */
export const callMinutes = (seconds: number): number => Math.max(1, Math.round(seconds / 60));

export type CallQuality = 'good' | 'fair' | 'poor';

/**
 * Connection quality from the round-trip time of the selected candidate pair and the share of
 * packets lost since the last reading: good up to 300 ms and 2 %, fair up to 600 ms and 8 %.
 */
export function callQuality(rttSeconds: number | undefined, lossRatio: number | undefined): CallQuality {
  const rtt = rttSeconds ?? 0;
  const loss = lossRatio ?? 0;
  if (rtt <= 0.3 && loss <= 0.02) return 'good';
  if (rtt <= 0.6 && loss <= 0.08) return 'fair';
  return 'poor';
}
