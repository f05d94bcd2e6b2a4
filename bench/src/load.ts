/** Parts 3-5: message latency and throughput, step test, idle capacity; each against DiReturn and the bare relay. */
import type { LoadConfig, PhaseResult } from './loadgen.js';
import { forkLoadgen, rssBytes, Sampler, type Running } from './servers.js';

export interface MeasuredPhase extends PhaseResult {
  server: { cpuCores: number; rssMaxMB: number; rssAvgMB: number };
}

/** Runs the phases of `config` in one loadgen process, sampling the server during each phase. */
export function runPhases(server: Running, config: Omit<LoadConfig, 'url' | 'agents'>, log: (s: string) => void): Promise<MeasuredPhase[]> {
  return new Promise((resolve, reject) => {
    const child = forkLoadgen();
    const sampler = new Sampler(server.pid);
    const out: MeasuredPhase[] = [];
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('load generator timed out'));
    }, 20 * 60_000);
    child.on('message', (m: any) => {
      if (m.type === 'ready') log(`    ${config.visitors} visitors and ${server.agents.length} agents connected, conversations claimed`);
      else if (m.type === 'phase-start') sampler.start();
      else if (m.type === 'phase-end') {
        const r = { ...(m.result as PhaseResult), server: sampler.stop() };
        out.push(r);
        log(`    ${r.name}: ${r.achievedRate} msg/s  p50 ${r.all.p50}  p95 ${r.all.p95}  p99 ${r.all.p99} ms  lost ${r.all.lost}  cpu ${r.server.cpuCores}  rss ${r.server.rssMaxMB} MB${Object.keys(r.errors).length ? `  errors ${JSON.stringify(r.errors)}` : ''}`);
      } else if (m.type === 'done') {
        clearTimeout(timeout);
        resolve(out);
      } else if (m.type === 'fatal') {
        clearTimeout(timeout);
        reject(new Error(m.message));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timeout);
      if (out.length === 0) reject(new Error(`load generator exited with ${code}`));
      else resolve(out);
    });
    child.send({ mode: 'run', config: { ...config, url: server.url, agents: server.agents } });
  });
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
