/**
 * `pnpm bench`: widget weight, host-page impact, message latency and throughput (one process on
 * SQLite, two processes on PostgreSQL + Redis behind nginx, and a bare ws relay as baseline, in
 * the same run), idle capacity. Prints a table with budgets, writes
 * bench/results/latest.json, exits 1 when a widget or host-page budget is exceeded.
 *
 * BENCH_ONLY=weight,impact,load,idle,offices,webhooks runs a subset; BENCH_SERIES=sqlite,cluster,relay a subset of
 * the load part; see docs/performance.md.
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { measureHostImpact, measureWeight, SLOW_4G, type HostImpact, type Weight } from './browser.js';
import { measureSearch, type SearchResult } from './search.js';
import { idleCapacity, runPhases, type IdleResult, type MeasuredPhase } from './load.js';
import { BENCH, ROOT, startCluster, startDiReturn, startRelay, type Running } from './servers.js';
import { measureOffices, type OfficesResult } from './offices.js';
import { measureWebhooks, type WebhookResult } from './webhooks.js';
import { measureCallWeight, type CallWeight } from './calls.js';

const only = new Set((process.env.BENCH_ONLY ?? 'weight,impact,search,load,idle,offices,webhooks').split(','));
const series = new Set((process.env.BENCH_SERIES ?? 'sqlite,cluster,relay').split(','));
const VISITORS = Number(process.env.BENCH_VISITORS ?? 1000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const IDLE = Number(process.env.BENCH_IDLE ?? 10_000);
const STEADY = { rate: 200, seconds: 20 };
const WARM_UP = { rate: 100, seconds: 10 };
// Up to where the relay breaks too, so that the throughput ratios are measured, not bounds. Each
// series stops at its first failed step. (Above 5320 msg/s the 1000 visitors would exceed
// DiReturn's 5 frames/s per socket: DiReturn cannot be measured higher with this load.)
const STEPS = [100, 200, 300, 400, 500, 600, 800, 1000, 1300, 1600, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 7000, 8000, 10000, 12000];
const STEP_SECONDS = 8;
const HOLD_P99_MS = 100;

export const BUDGETS = {
  hostGzipBytes: 10 * 1024,
  openChatGzipBytes: 30 * 1024,
  /** What the first article adds (code, texts, data), on top of the open chat. */
  firstArticleGzipBytes: 15 * 1024,
  /** Search latency over 2,000 articles × 13 languages (target, printed). */
  searchP95Ms: 10,
  clsDelta: 0,
  tbtDeltaMs: 10,
  clickToTypeMs: 1000,
  // targets of the "make it fast" part: printed, not enforced
  p99At200Ms: 25,
  throughputRatio: 0.5,
  lookupP99Ms: 5,
  /** The cluster's highest held rate against one SQLite process's. */
  clusterRatio: 0.5,
};
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 5000);

const log = (s: string) => console.log(s);
const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;

async function withServer<T>(start: () => Promise<Running>, fn: (s: Running) => Promise<T>): Promise<T> {
  const s = await start();
  try {
    return await fn(s);
  } catch (err) {
    console.error(s.output().slice(-3000));
    throw err;
  } finally {
    await s.stop();
  }
}

interface LoadRun { steady: MeasuredPhase; steps: MeasuredPhase[]; maxHeldRate: number; reachedTop: boolean }

function loadPhases() {
  return {
    visitors: VISITORS,
    holdP99Ms: HOLD_P99_MS,
    phases: [
      // Printed, not judged: the first seconds after 1,000 sockets connected pay for opening
      // database pools, JIT compilation and cold caches; every series gets the same warm-up.
      { name: `warm-up ${WARM_UP.rate} msg/s`, rate: WARM_UP.rate, seconds: WARM_UP.seconds },
      { name: `steady ${STEADY.rate} msg/s`, rate: STEADY.rate, seconds: STEADY.seconds },
      ...STEPS.map((rate) => ({ name: `step ${rate} msg/s`, rate, seconds: STEP_SECONDS, step: true })),
    ],
  };
}

function summarise(phases: MeasuredPhase[]): LoadRun {
  const steady = phases.find((p) => !p.step && p.name.startsWith('steady'))!;
  const steps = phases.filter((p) => p.step);
  // The highest rate of the unbroken run of held steps from the bottom (a failed step may have been retried once).
  let maxHeldRate = 0;
  for (const rate of STEPS) {
    const tries = steps.filter((p) => p.rate === rate);
    if (!tries.some((p) => p.held)) break;
    maxHeldRate = rate;
  }
  return { steady, steps, maxHeldRate, reachedTop: maxHeldRate === STEPS.at(-1) };
}

async function main(): Promise<number> {
  const started = Date.now();
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    commit: (() => {
      try {
        return execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
      } catch {
        return null;
      }
    })(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    budgets: BUDGETS,
  };
  let weight: Weight | undefined;
  let calls: CallWeight | undefined;
  let impact: HostImpact | undefined;
  let direturn: LoadRun | undefined;
  let cluster: LoadRun | undefined;
  let relay: LoadRun | undefined;
  let idle: { direturn: IdleResult; relay: IdleResult } | undefined;
  let offices: OfficesResult | undefined;
  let search: SearchResult[] | undefined;

  if (only.has('weight') || only.has('impact')) {
    await withServer(() => startDiReturn(), async (s) => {
      if (only.has('weight')) {
        log('1. widget weight (demo page in Chromium, summing the responses)');
        weight = await measureWeight(s);
        log('   and what a call offer adds (the call view, loaded only then)');
        calls = await measureCallWeight(s);
      }
      if (only.has('impact')) {
        log('2. host-page impact (slow 4G, 4x CPU slowdown; 3 runs each, medians)');
        impact = await measureHostImpact(s, 3);
      }
    });
  }
  if (only.has('search')) {
    log('6. knowledge search: 2,000 articles × 13 languages on SQLite and on PostgreSQL');
    search = await measureSearch(log);
  }
  if (only.has('load')) {
    log(`3. message latency: ${VISITORS} visitors, ${AGENTS} agents; warm-up ${WARM_UP.rate} msg/s for ${WARM_UP.seconds} s, steady ${STEADY.rate} msg/s for ${STEADY.seconds} s, then steps of ${STEP_SECONDS} s until p99 > ${HOLD_P99_MS} ms`);
    if (series.has('sqlite')) {
      log('  DiReturn, one process on SQLite');
      direturn = summarise(await withServer(() => startDiReturn({ agents: AGENTS }), (s) => runPhases(s, loadPhases(), log)));
    }
    if (series.has('cluster')) {
      log('  DiReturn, two processes on PostgreSQL + Redis behind nginx');
      cluster = summarise(await withServer(() => startCluster({ agents: AGENTS }), (s) => runPhases(s, loadPhases(), log)));
    }
    if (series.has('relay')) {
      log('  5. baseline: bare ws relay');
      relay = summarise(await withServer(() => startRelay(AGENTS), (s) => runPhases(s, loadPhases(), log)));
    }
  }
  if (only.has('idle')) {
    log(`4. idle capacity: ${IDLE} connected visitors`);
    const d = await withServer(() => startDiReturn(), (s) => idleCapacity(s, IDLE, 2));
    const r = await withServer(() => startRelay(), (s) => idleCapacity(s, IDLE, 2));
    idle = { direturn: d, relay: r };
  }

  if (only.has('offices')) {
    log(`6. office search: ${LOOKUPS} postcode lookups over HTTP against ~900 offices; what opening the search adds to the chat`);
    offices = await withServer(() => startDiReturn(), (s) => measureOffices(s, { lookups: LOOKUPS, concurrency: Number(process.env.BENCH_LOOKUP_CONCURRENCY ?? 1) }));
  }

  let webhooks: WebhookResult[] | undefined;
  if (only.has('webhooks')) {
    log('8. inbound webhooks: Telegram updates posted at rising rates to one process, SQLite and PostgreSQL');
    webhooks = await measureWebhooks();
  }

  // ---------------------------------------------------------------- report
  const failures: string[] = [];
  const rows: Array<[string, string, string, string]> = [];
  const row = (what: string, value: string, budget: string, ok: boolean | null) => {
    rows.push([what, value, budget, ok === null ? '' : ok ? 'ok' : 'OVER']);
    if (ok === false && budget.startsWith('≤') && !budget.includes('target')) failures.push(what);
  };
  if (weight) {
    const w = weight;
    row('host page before click, gzip', kb(w.beforeClick.gzip), `≤ ${kb(BUDGETS.hostGzipBytes)}`, w.beforeClick.gzip <= BUDGETS.hostGzipBytes);
    row('  brotli / raw / transferred now', `${kb(w.beforeClick.brotli)} / ${kb(w.beforeClick.raw)} / ${kb(w.beforeClick.transferred)}`, '', null);
    row('open chat (one language), gzip', kb(w.openChat.gzip), `≤ ${kb(BUDGETS.openChatGzipBytes)}`, w.openChat.gzip <= BUDGETS.openChatGzipBytes);
    row('  brotli / raw / transferred now', `${kb(w.openChat.brotli)} / ${kb(w.openChat.raw)} / ${kb(w.openChat.transferred)}`, '', null);
    row('first article (info view, texts, list, article), gzip', kb(w.firstArticle.gzip), `≤ ${kb(BUDGETS.firstArticleGzipBytes)}`, w.firstArticle.gzip <= BUDGETS.firstArticleGzipBytes);
    row('  brotli / raw / transferred now', `${kb(w.firstArticle.brotli)} / ${kb(w.firstArticle.raw)} / ${kb(w.firstArticle.transferred)}`, '', null);
    // Not budgeted: loaded only when the visitor opens it (the open chat never carries the phone rules; the widget build fails if it does).
    row('callback view adds (lazy: view, phone rules, texts), gzip', kb(w.callbackView.gzip), '', null);
    row('  brotli / raw / transferred now', `${kb(w.callbackView.brotli)} / ${kb(w.callbackView.raw)} / ${kb(w.callbackView.transferred)}`, '', null);
    for (const r of [...w.beforeClick.resources, ...w.openChat.resources, ...w.firstArticle.resources, ...w.callbackView.resources]) {
      row(`    ${r.url}`, `gz ${kb(r.gzip)}  br ${kb(r.brotli)}  raw ${kb(r.raw)}  hdr ${r.headers} B${r.contentEncoding ? `  (${r.contentEncoding})` : ''}`, '', null);
    }
  }
  if (calls) {
    row('a call offered adds (lazy), gzip', kb(calls.gzip), '', null);
    for (const r of calls.resources) row(`    ${r.url}`, `gz ${kb(r.gzip)}`, '', null);
    if (calls.build) row('  build: call chunk + texts (dist/sizes.json)', `${kb(calls.build.chunkGzip)} + ${kb(calls.build.textsGzip)}`, '', null);
  }
  if (impact) {
    const i = impact;
    row('CLS with − without', `${i.with.cls} − ${i.without.cls} = ${i.delta.cls}`, `≤ +${BUDGETS.clsDelta}`, i.delta.cls <= BUDGETS.clsDelta);
    row('TBT with − without', `${i.with.tbt} − ${i.without.tbt} = ${i.delta.tbt} ms`, `≤ +${BUDGETS.tbtDeltaMs} ms`, i.delta.tbt <= BUDGETS.tbtDeltaMs);
    row('  blocking incl. before FCP', `${i.with.blockingAll} vs ${i.without.blockingAll} ms (long tasks ${i.with.longTasks} vs ${i.without.longTasks})`, '', null);
    row('load event with / without', `${i.with.load} / ${i.without.load} ms (Δ ${i.delta.load})`, '', null);
    row('click → can type (median)', `${i.clickToType.median} ms [${i.clickToType.runs.join(', ')}]`, `≤ ${BUDGETS.clickToTypeMs} ms`, i.clickToType.median <= BUDGETS.clickToTypeMs);
    const st = i.clickToType.steps;
    row('  after click: frame doc / chat.js / locale', `${st.frameDocument} / ${st.chatJs} / ${st.locale} ms; focused: ${i.clickToType.focused}`, '', null);
  }
  const lat = (p: MeasuredPhase) => `p50 ${p.all.p50} p95 ${p.all.p95} p99 ${p.all.p99} ms`;
  const dirs = (p: MeasuredPhase) => [
    row('  visitor→agent', `p50 ${p.visitorToAgent.p50} p95 ${p.visitorToAgent.p95} p99 ${p.visitorToAgent.p99} ms`, '', null),
    row('  agent→visitor', `p50 ${p.agentToVisitor.p50} p95 ${p.agentToVisitor.p95} p99 ${p.agentToVisitor.p99} ms`, '', null),
  ];
  const held = (r: LoadRun) => `${r.reachedTop ? '≥ ' : ''}${r.maxHeldRate}`;
  if (direturn) {
    const d = direturn;
    row(`DiReturn @${STEADY.rate} msg/s`, lat(d.steady), `p99 ≤ ${BUDGETS.p99At200Ms} ms (target)`, d.steady.all.p99 <= BUDGETS.p99At200Ms);
    dirs(d.steady);
    row('  server CPU / RSS', `${d.steady.server.cpuCores} cores / ${d.steady.server.rssMaxMB} MB`, '', null);
  }
  if (cluster) {
    const c = cluster;
    row(`cluster @${STEADY.rate} msg/s`, lat(c.steady), `p99 ≤ ${BUDGETS.p99At200Ms} ms (target)`, c.steady.all.p99 <= BUDGETS.p99At200Ms);
    dirs(c.steady);
    row('  2 processes CPU / RSS (+ nginx)', `${c.steady.server.cpuCores} cores / ${c.steady.server.rssMaxMB} MB (+ ${c.steady.proxy?.cpuCores} cores / ${c.steady.proxy?.rssMaxMB} MB)`, '', null);
    const i = c.steady.inside;
    if (i) row('  inside (means)', `frame → ack ${i.ackMeanMs} ms, bus lag ${i.busLagMeanMs} ms, ${i.pgTransactionsPerMessage} PG transactions/msg, PG backends ${i.pgBackendCores} cores`, '', null);
  }
  if (relay) row(`relay @${STEADY.rate} msg/s`, `${lat(relay.steady)}; ${relay.steady.server.cpuCores} cores / ${relay.steady.server.rssMaxMB} MB`, '', null);
  if (direturn && relay) row('p99 ratio DiReturn / relay', `${(direturn.steady.all.p99 / Math.max(0.01, relay.steady.all.p99)).toFixed(1)}×`, '', null);
  const rates = [direturn && `DiReturn ${held(direturn)}`, cluster && `cluster ${held(cluster)}`, relay && `relay ${held(relay)}`].filter(Boolean);
  if (rates.length) row(`max rate with p99 ≤ ${HOLD_P99_MS} ms`, `${rates.join(' / ')} msg/s`, '', null);
  const ratio = (a: LoadRun, b: LoadRun) => {
    // A series that held the top step is only a bound: ≥ above, ≤ below the line.
    const value = b.maxHeldRate ? a.maxHeldRate / b.maxHeldRate : 0;
    return { value, text: `${b.reachedTop && !a.reachedTop ? '≤ ' : a.reachedTop && !b.reachedTop ? '≥ ' : a.reachedTop ? '~ ' : ''}${value.toFixed(2)}` };
  };
  if (cluster && direturn) {
    const r = ratio(cluster, direturn);
    row('throughput ratio cluster / SQLite', r.text, `≥ ${BUDGETS.clusterRatio} (target)`, r.value >= BUDGETS.clusterRatio);
  }
  if (direturn && relay) {
    const r = ratio(direturn, relay);
    row('throughput ratio DiReturn / relay', r.text, `≥ ${BUDGETS.throughputRatio} (target)`, r.value >= BUDGETS.throughputRatio);
  }
  if (cluster && relay) row('throughput ratio cluster / relay', ratio(cluster, relay).text, '', null);
  if (idle) {
    row(`idle: ${idle.direturn.connections} visitors, DiReturn`, `${idle.direturn.kbPerConnection} KB/conn (RSS ${idle.direturn.rssBeforeMB} → ${idle.direturn.rssAfterMB} MB, ${idle.direturn.failed} failed, opened in ${idle.direturn.openSeconds} s)`, '', null);
    row(`idle: ${idle.relay.connections} visitors, relay`, `${idle.relay.kbPerConnection} KB/conn (RSS ${idle.relay.rssBeforeMB} → ${idle.relay.rssAfterMB} MB)`, '', null);
  }
  for (const sr of search ?? []) {
    row(`search on ${sr.database} (${sr.queries} queries)`, `p50 ${sr.p50} p95 ${sr.p95} p99 ${sr.p99} ms`, `p95 ≤ ${BUDGETS.searchP95Ms} ms (target)`, sr.p95 <= BUDGETS.searchP95Ms);
    row('  corpus / hits', `${sr.articles} articles × ${sr.languages} languages (${sr.translations} published), loaded in ${sr.loadSeconds} s; ${sr.withHits} of ${sr.queries} queries found something, ${sr.meanTotal} hits on average`, '', null);
  }
  if (offices) {
    const o = offices;
    row(`postcode lookup (${o.lookups}, ${o.offices} offices)`, `p50 ${o.latencyMs.p50} p95 ${o.latencyMs.p95} p99 ${o.latencyMs.p99} max ${o.latencyMs.max} ms`, `p99 ≤ ${BUDGETS.lookupP99Ms} ms (target)`, o.latencyMs.p99 <= BUDGETS.lookupP99Ms);
    row('  server CPU per lookup / machine load', `${o.serverCpuMsPerLookup ?? '?'} ms / load average ${o.loadAverage} on ${cpus().length} cores`, '', null);
    row('  answers', Object.entries(o.statuses).map(([k, v]) => `${k} ${v}`).join(', '), '', null);
    row('office search adds (lazy), gzip', kb(o.searchAdds.gzip), '', null);
    for (const r of o.searchAdds.resources) row(`    ${r.url}`, `gz ${kb(r.gzip)}`, '', null);
    row('orientation check adds (lazy), gzip', kb(o.orientationAdds.gzip), '', null);
    for (const r of o.orientationAdds.resources) row(`    ${r.url}`, `gz ${kb(r.gzip)}`, '', null);
  }
  for (const wh of webhooks ?? []) {
    row(`webhooks on ${wh.database}: highest rate with p99 ≤ 100 ms`, `${wh.held} events/s (${wh.answered} updates answered 200, each stored first; load average ${wh.loadAverage})`, '', null);
    for (const st of wh.steps) row(`  ${st.rate} events/s for 5 s`, `reached ${st.achieved}/s, p50 ${st.p50} p95 ${st.p95} p99 ${st.p99} ms${st.notOk ? `, ${st.notOk} not 200` : ''}`, '', null);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  log('\n' + rows.map(([a, b, c, d]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c.padEnd(w2)}  ${d}`).join('\n'));

  Object.assign(result, {
    seconds: Math.round((Date.now() - started) / 1000),
    profile: { slow4g: SLOW_4G },
    weight,
    calls,
    hostImpact: impact,
    load: direturn || cluster || relay ? { visitors: VISITORS, agents: AGENTS, holdP99Ms: HOLD_P99_MS, direturn, cluster, relay } : undefined,
    idle,
    offices,
    search,
    webhooks,
    failures,
  });
  writeFileSync(join(BENCH, 'results/latest.json'), JSON.stringify(result, null, 2) + '\n');
  log(`\nwrote bench/results/latest.json (${result.seconds} s)`);
  if (failures.length) log(`budgets exceeded: ${failures.join('; ')}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
