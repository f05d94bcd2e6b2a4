/**
 * `pnpm --filter ./bench exec tsx src/profile.ts`: runs DiReturn under `node --cpu-prof` through
 * the steady 200 msg/s phase (PROFILE_RATE=1000 for another rate) and prints the top of the profile
 * (self time by function and by package). PROFILE_TARGET=cluster profiles the two processes of
 * the cluster instead (their profiles summed).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPhases } from './load.js';
import { startCluster, startDiReturn } from './servers.js';

const dir = mkdtempSync(join(tmpdir(), 'direturn-prof-'));
const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
const server = process.env['PROFILE_TARGET'] === 'cluster' ? await startCluster({ agents: 20, nodeArgs }) : await startDiReturn({ agents: 20, nodeArgs });
try {
  const rate = Number(process.env['PROFILE_RATE'] ?? 200);
  await runPhases(server, { visitors: 1000, holdP99Ms: 100, phases: [{ name: `steady ${rate} msg/s`, rate, seconds: 20 }] }, console.log);
} finally {
  await server.stop();
}
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
// Self time per call frame, summed over the profiles (one per process).
const self = new Map<string, { frame: Node['callFrame']; t: number }>();
for (const file of files) {
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  prof.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const e = self.get(key) ?? { frame, t: 0 };
    e.t += prof.timeDeltas[i] ?? 0;
    self.set(key, e);
  });
}
const total = [...self.values()].reduce((a, b) => a + b.t, 0);
const byFn = new Map<string, number>();
const byPkg = new Map<string, number>();
for (const { frame, t } of self.values()) {
  if (!t) continue;
  const { functionName, url, lineNumber } = frame;
  const short = url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/packages\//, 'packages/');
  const fn = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  const pkg = !url ? functionName : url.startsWith('node:') ? 'node core' : /packages\/server\//.test(short) ? 'DiReturn server' : short.split('/').slice(0, short.startsWith('@') ? 2 : 1).join('/');
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
}
const top = (m: Map<string, number>, k: number) =>
  [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, t]) => `${((t / total) * 100).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${name}`).join('\n');
console.log(`profiles ${files.map((f) => join(dir, f)).join(', ')}: ${(total / 1e6).toFixed(1)} s sampled\n\nby package / category:\n${top(byPkg, 15)}\n\nby function (self time):\n${top(byFn, 25)}`);
