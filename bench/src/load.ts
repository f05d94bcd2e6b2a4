/** Parts 3-5: message latency and throughput, step test, idle capacity; each against DiReturn and the bare relay. */
import type { LoadConfig, PhaseResult } from './loadgen.js';
import { forkLoadgen, rssBytes, Sampler, type Running } from './servers.js';

type Usage = { cpuCores: number; rssMaxMB: number; rssAvgMB: number };
export interface MeasuredPhase extends PhaseResult {
  /** Summed over the server's processes (two in the cluster). */
  server: Usage;
  /** nginx in front of the cluster. */
  proxy?: Usage;
  /** The load generator itself: it shares the two cores. */
  loadgen: Usage;
  /**
   * Inside the cluster, from the processes' /metrics and PostgreSQL's statistics: mean time from
   * a message frame to its ack (the write path), mean bus lag (Redis), PostgreSQL transactions
   * (each single-statement read counts as one) per message sent.
   */
  inside?: { ackMeanMs: number; busLagMeanMs: number; pgTransactionsPerMessage: number; pgBackendCores: number };
}

/** Runs the phases of `config` in one loadgen process, sampling the server during each phase. */
export function runPhases(server: Running, config: Omit<LoadConfig, 'url' | 'agents'>, log: (s: string) => void): Promise<MeasuredPhase[]> {
  return new Promise((resolve, reject) => {
    const child = forkLoadgen();
    const sampler = new Sampler(server.pids);
    const proxySampler = server.proxyPids ? new Sampler(server.proxyPids) : undefined;
    const loadgenSampler = new Sampler(child.pid!);
    let probed: Promise<Record<string, number> | undefined> | undefined;
    let pendingProbe: Promise<void> = Promise.resolve();
    const out: MeasuredPhase[] = [];
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('load generator timed out'));
    }, 20 * 60_000);
    child.on('message', (m: any) => {
      if (m.type === 'ready') log(`    ${config.visitors} visitors and ${server.agents.length} agents connected, conversations claimed`);
      else if (m.type === 'phase-start') {
        probed = server.probe?.().catch(() => undefined);
        sampler.start();
        proxySampler?.start();
        loadgenSampler.start();
      } else if (m.type === 'phase-end') {
        const r: MeasuredPhase = { ...(m.result as PhaseResult), server: sampler.stop(), loadgen: loadgenSampler.stop(), ...(proxySampler ? { proxy: proxySampler.stop() } : {}) };
        out.push(r);
        if (server.probe) {
          pendingProbe = inside(probed, server.probe(), r).then(() => {
            if (r.inside) log(`      ${r.name} inside: ack ${r.inside.ackMeanMs} ms, bus lag ${r.inside.busLagMeanMs} ms (means), ${r.inside.pgTransactionsPerMessage} PostgreSQL transactions per message, PostgreSQL backends ${r.inside.pgBackendCores} cores`);
          });
        }
        log(
          `    ${r.name}: ${r.achievedRate} msg/s  p50 ${r.all.p50}  p95 ${r.all.p95}  p99 ${r.all.p99} ms  lost ${r.all.lost}  cpu ${r.server.cpuCores}${r.proxy ? ` (+nginx ${r.proxy.cpuCores})` : ''} (loadgen ${r.loadgen.cpuCores})  rss ${r.server.rssMaxMB} MB${Object.keys(r.errors).length ? `  errors ${JSON.stringify(r.errors)}` : ''}`,
        );
      } else if (m.type === 'done') {
        clearTimeout(timeout);
        void pendingProbe.then(() => resolve(out));
      } else if (m.type === 'fatal') {
        clearTimeout(timeout);
        reject(new Error(m.message));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timeout);
      if (out.length === 0) reject(new Error(`load generator exited with ${code}`));
      else void pendingProbe.then(() => resolve(out));
    });
    child.send({ mode: 'run', config: { ...config, url: server.url, agents: server.agents } });
  });
}

async function inside(before: Promise<Record<string, number> | undefined> | undefined, after: Promise<Record<string, number>>, r: MeasuredPhase): Promise<void> {
  const a = await before;
  const b = await after.catch(() => undefined);
  if (!a || !b) return;
  const d = (k: string) => (b[k] ?? 0) - (a[k] ?? 0);
  const mean = (k: string) => Math.round((d(`${k}_sum`) / Math.max(1, d(`${k}_count`))) * 1000 * 100) / 100;
  r.inside = {
    ackMeanMs: mean('direturn_message_ack_seconds'),
    busLagMeanMs: mean('direturn_bus_lag_seconds'),
    pgTransactionsPerMessage: Math.round((d('pg_xact_commit') / Math.max(1, r.all.sent)) * 10) / 10,
    // CPU time of the backends present at both ends (the pools' connections live through a phase).
    pgBackendCores: Math.round((d('pg_cpu_seconds') / Math.max(0.001, d('at_seconds'))) * 100) / 100,
  };
}

export interface IdleResult {
  connections: number;
  failed: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  kbPerConnection: number;
  openSeconds: number;
}

/** Opens `total` idle visitor sockets (hello done) from `processes` client processes; RSS per connection. */
export async function idleCapacity(server: Running, total: number, processes: number): Promise<IdleResult> {
  const before = rssBytes(server.pid);
  const t0 = performance.now();
  const children = Array.from({ length: processes }, () => forkLoadgen());
  const opened = await Promise.all(
    children.map(
      (child, i) =>
        new Promise<{ open: number; failed: number }>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('idle clients timed out')), 5 * 60_000);
          child.on('message', (m: any) => {
            if (m.type === 'idle-open') {
              clearTimeout(t);
              resolve(m);
            } else if (m.type === 'fatal') reject(new Error(m.message));
          });
          const count = Math.floor(total / processes) + (i < total % processes ? 1 : 0);
          child.send({ mode: 'idle', url: server.url, count, holdMs: 120_000 });
        }),
    ),
  );
  const openSeconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 3000)); // settle
  const after = rssBytes(server.pid);
  await Promise.all(children.map((c) => new Promise((r) => { c.once('exit', r); c.send({ type: 'release' }); })));
  const connections = opened.reduce((a, o) => a + o.open, 0);
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  return {
    connections,
    failed: opened.reduce((a, o) => a + o.failed, 0),
    rssBeforeMB: mb(before),
    rssAfterMB: mb(after),
    kbPerConnection: Math.round(((after - before) / 1024 / Math.max(1, connections)) * 10) / 10,
    openSeconds: Math.round(openSeconds * 10) / 10,
  };
}
