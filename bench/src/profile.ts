/**
 * `pnpm --filter ./bench exec tsx src/profile.ts`: runs DiReturn under `node --cpu-prof` through
 * the steady 200 msg/s phase (PROFILE_RATE=1000 for another rate) and prints the top of the profile
 * (self time by function and by package).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPhases } from './load.js';
import { startDiReturn } from './servers.js';

const dir = mkdtempSync(join(tmpdir(), 'direturn-prof-'));
const server = await startDiReturn({ agents: 20, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
try {
  const rate = Number(process.env['PROFILE_RATE'] ?? 200);
  await runPhases(server, { visitors: 1000, holdP99Ms: 100, phases: [{ name: `steady ${rate} msg/s`, rate, seconds: 20 }] }, console.log);
} finally {
  await server.stop();
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFn = new Map<string, number>();
const byPkg = new Map<string, number>();
for (const n of prof.nodes) {
  const t = self.get(n.id) ?? 0;
  if (!t) continue;
  const { functionName, url, lineNumber } = n.callFrame;
  const short = url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/packages\//, 'packages/');
  const fn = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  const pkg = !url ? functionName : url.startsWith('node:') ? 'node core' : /packages\/server\//.test(short) ? 'DiReturn server' : short.split('/').slice(0, short.startsWith('@') ? 2 : 1).join('/');
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
}
const top = (m: Map<string, number>, k: number) =>
  [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, t]) => `${((t / total) * 100).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${name}`).join('\n');
console.log(`profile ${join(dir, file)}: ${(total / 1e6).toFixed(1)} s sampled\n\nby package / category:\n${top(byPkg, 15)}\n\nby function (self time):\n${top(byFn, 25)}`);
