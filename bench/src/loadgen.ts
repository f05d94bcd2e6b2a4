/**
 * Load generator: a separate process (forked by main.ts) that opens N visitor and M agent sockets
 * against one server on loopback, sends messages at fixed rates and reports delivery latency.
 * Every loop is bounded: each phase lasts `seconds`, the drain after it at most DRAIN_MS.
 *
 * Works against DiReturn and against the bare relay (relay.ts), which speaks the same subset.
 */
import WebSocket from 'ws';

export interface LoadConfig {
  url: string; // http://localhost:PORT
  visitors: number;
  agents: Array<{ email: string; password: string }>;
  /** `step` phases belong to the step test: it stops after the first one that does not hold. */
  phases: Array<{ name: string; rate: number; seconds: number; step?: boolean }>;
  /** A phase holds when its p99 is at most this, nothing was lost, no error came back and the rate was reached. */
  holdP99Ms: number;
  /** Highest send rate per agent socket (the server allows 20/s per agent socket). */
  maxAgentRatePerSocket?: number;
}

export interface DirStats { sent: number; delivered: number; lost: number; p50: number; p95: number; p99: number; max: number }
export interface PhaseResult {
  name: string;
  rate: number;
  seconds: number;
  step: boolean;
  achievedRate: number;
  visitorToAgent: DirStats;
  agentToVisitor: DirStats;
  all: DirStats;
  errors: Record<string, number>;
  held: boolean;
}

type Msg = Record<string, any>;
const DRAIN_MS = 3000;
const BODY_PAD = ' Wie lange dauert die Bearbeitung meines Antrags auf Rückkehrförderung ungefähr?';

const send = (m: Msg) => process.send?.(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
function stats(sent: number, lat: number[]): DirStats {
  const s = [...lat].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { sent, delivered: s.length, lost: sent - s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s.at(-1) ?? 0) };
}

function open(url: string, headers?: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function inBatches<T>(items: T[], size: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

interface Visitor { ws: WebSocket; conversationId?: string; agent?: number }
interface Agent { ws: WebSocket; cookie: string; conversations: string[] }

export async function run(cfg: LoadConfig): Promise<PhaseResult[]> {
  const wsBase = cfg.url.replace(/^http/, 'ws');
  const pending = new Map<string, number>(); // message tag -> send time
  let current: { v2a: number[]; a2v: number[]; errors: Record<string, number> } = { v2a: [], a2v: [], errors: {} };
  const onDelivered = (body: unknown, dir: 'v2a' | 'a2v') => {
    if (typeof body !== 'string' || body[0] !== '#') return;
    const tag = body.slice(0, body.indexOf(' '));
    const t0 = pending.get(tag);
    if (t0 === undefined) return;
    pending.delete(tag);
    current[dir].push(performance.now() - t0);
  };
  const onError = (f: Msg) => (current.errors[f.code] = (current.errors[f.code] ?? 0) + 1);

  // ---- agents: log in, open sockets
  const agents: Agent[] = [];
  for (const a of cfg.agents) {
    const res = await fetch(`${cfg.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
    if (!res.ok) throw new Error(`login ${a.email}: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const ws = await open(`${wsBase}/ws/agent`, { cookie });
    const agent: Agent = { ws, cookie, conversations: [] };
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Msg;
      if (f.type === 'message' && f.message.author === 'visitor') onDelivered(f.message.body, 'v2a');
      else if (f.type === 'error') onError(f);
    });
    agents.push(agent);
  }

  // ---- visitors: hello, first message (creates the conversation), then an agent claims it
  const visitors: Visitor[] = [];
  await inBatches(Array.from({ length: cfg.visitors }), 50, async (_, i) => {
    const ws = await open(`${wsBase}/ws/visitor`);
    const v: Visitor = { ws };
    visitors[i] = v;
    const first = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as Msg;
        if (f.type === 'welcome') ws.send(JSON.stringify({ type: 'send', clientId: `first-${i}-xxxxxxxx`, body: 'Hallo, ich habe eine Frage.' }));
        else if (f.type === 'ack' && !v.conversationId) {
          v.conversationId = f.message.conversationId;
          resolve();
        } else if (f.type === 'message' && f.message.author === 'agent') onDelivered(f.message.body, 'a2v');
        else if (f.type === 'error') {
          onError(f);
          if (!v.conversationId) reject(new Error(`visitor ${i}: ${f.code} ${f.message}`));
        }
      });
    });
    ws.send(JSON.stringify({ type: 'hello', site: 'demo', origin: cfg.url, language: 'de' }));
    await first;
  });
  await inBatches(visitors, 8, async (v, i) => {
    const ai = i % agents.length;
    const res = await fetch(`${cfg.url}/api/conversations/${v.conversationId}/claim`, { method: 'POST', headers: { cookie: agents[ai]!.cookie } });
    if (!res.ok) throw new Error(`claim: ${res.status} ${await res.text()}`);
    v.agent = ai;
    agents[ai]!.conversations.push(v.conversationId!);
  });
  send({ type: 'ready' });
  await sleep(1000);

  // ---- phases at fixed rates (open loop: a 5 ms tick sends whatever is due)
  const results: PhaseResult[] = [];
  let seq = 0;
  let vi = 0;
  const ai = agents.map(() => 0);
  let aRound = 0;
  for (let pi = 0, retried = false; pi < cfg.phases.length; pi++) {
    const phase = cfg.phases[pi]!;
    current = { v2a: [], a2v: [], errors: {} };
    pending.clear();
    const maxAgent = (cfg.maxAgentRatePerSocket ?? 16) * agents.length;
    const agentShare = Math.min(0.5, maxAgent / phase.rate);
    let sentV = 0;
    let sentA = 0;
    send({ type: 'phase-start', name: phase.name });
    const t0 = performance.now();
    const end = t0 + phase.seconds * 1000;
    let due = 0;
    let done = 0;
    while (performance.now() < end) {
      due = ((performance.now() - t0) / 1000) * phase.rate;
      while (done < due) {
        done++;
        const tag = `#${(seq++).toString(36)}`;
        const body = tag + BODY_PAD;
        if ((sentA + 1) / done <= agentShare) {
          const k = aRound++ % agents.length;
          const a = agents[k]!;
          const conv = a.conversations[ai[k]!++ % a.conversations.length]!;
          pending.set(tag, performance.now());
          a.ws.send(JSON.stringify({ type: 'send', conversationId: conv, clientId: `a${tag.slice(1)}xxxxxxxx`, body }));
          sentA++;
        } else {
          const v = visitors[vi++ % visitors.length]!;
          pending.set(tag, performance.now());
          v.ws.send(JSON.stringify({ type: 'send', clientId: `v${tag.slice(1)}xxxxxxxx`, body }));
          sentV++;
        }
      }
      await sleep(5);
    }
    const elapsed = (performance.now() - t0) / 1000;
    for (let w = 0; w < DRAIN_MS / 50 && pending.size > 0; w++) await sleep(50);
    const all = stats(sentV + sentA, [...current.v2a, ...current.a2v]);
    const r: PhaseResult = {
      name: phase.name,
      rate: phase.rate,
      seconds: phase.seconds,
      step: !!phase.step,
      achievedRate: Math.round((sentV + sentA) / elapsed),
      visitorToAgent: stats(sentV, current.v2a),
      agentToVisitor: stats(sentA, current.a2v),
      all,
      errors: current.errors,
      held: all.p99 <= cfg.holdP99Ms && all.lost === 0 && Object.keys(current.errors).length === 0 && (sentV + sentA) / elapsed >= phase.rate * 0.95,
    };
    results.push(r);
    send({ type: 'phase-end', result: r });
    if (!r.held && phase.step) {
      // One retry: a single GC pause or a neighbour's burst on a 2-core machine is not a limit.
      if (retried) break;
      retried = true;
      pi--;
    } else retried = false;
    await sleep(500);
  }
  for (const v of visitors) v.ws.terminate();
  for (const a of agents) a.ws.terminate();
  return results;
}

// ---- idle mode: open `count` visitor sockets, hello each, hold them for `holdMs`, then close.
export async function idle(url: string, count: number, holdMs: number): Promise<void> {
  const wsBase = url.replace(/^http/, 'ws');
  const sockets: WebSocket[] = [];
  let failed = 0;
  await inBatches(Array.from({ length: count }), 100, async () => {
    try {
      const ws = await open(`${wsBase}/ws/visitor`);
      sockets.push(ws);
      await new Promise<void>((resolve) => {
        ws.once('message', () => resolve());
        ws.send(JSON.stringify({ type: 'hello', site: 'demo', origin: url, language: 'de' }));
      });
    } catch {
      failed++;
    }
  });
  send({ type: 'idle-open', open: sockets.length, failed });
  const deadline = Date.now() + holdMs;
  await new Promise<void>((resolve) => {
    process.on('message', (m: Msg) => m.type === 'release' && resolve());
    setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  for (const ws of sockets) ws.terminate();
}

if (process.send) {
  process.once('message', (m: Msg) => {
    const job = m.mode === 'idle' ? idle(m.url, m.count, m.holdMs) : run(m.config as LoadConfig).then((results) => send({ type: 'done', results }));
    job
      .catch((err) => send({ type: 'fatal', message: String(err?.stack ?? err) }))
      .finally(() => setTimeout(() => process.exit(0), 100));
  });
}
