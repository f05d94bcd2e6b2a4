/**
 * Part 6 (BENCH_ONLY=offices): the office search. Postcode-lookup latency over HTTP against a
 * directory of realistic size (about 900 offices at every level of area key), and what opening
 * the office search adds to the open chat in Chromium (its lazy chunks and texts, gzip).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../../test/support/browser.ts';
import { AGENT_PASSWORD, ROOT, type Running } from './servers.js';

export interface OfficesResult {
  offices: number;
  lookups: number;
  concurrency: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Server CPU per lookup (from /proc): what a lookup costs, whatever else the machine runs. */
  serverCpuMsPerLookup: number | null;
  /** The machine's 1-minute load average during the run (2 cores here: above 2, latency tails measure the neighbours). */
  loadAverage: number;
  statuses: Record<string, number>;
  searchAdds: { gzip: number; resources: Array<{ url: string; gzip: number }> };
  /** What opening the orientation check adds (its chunk with the rule engine, its texts, the questionnaire in one language). */
  orientationAdds: { gzip: number; resources: Array<{ url: string; gzip: number }> };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const round = (n: number) => Math.round(n * 100) / 100;

/** 900 offices: one per district for most districts, a few per government district (Bavaria), one per state for some. */
function directory(districts: string[]): string {
  const header = 'name,organisation,carrier,postal_code,city,latitude,longitude,email,languages,channels,area_keys';
  const rows: string[] = [];
  let i = 0;
  const add = (key: string, carrier: string) => {
    i++;
    rows.push(`Bench office ${i},Bench e. V.,${carrier},10115,Berlin,${(47.5 + (i % 70) / 10).toFixed(4)},${(6 + (i % 90) / 10).toFixed(4)},office${i}@example.org,de;ar;tr,in_person;phone,${key}`);
  };
  for (const [n, d] of districts.entries()) {
    if (d.startsWith('09')) continue; // Bavaria by government district below
    add(d, n % 3 ? 'non_state' : 'state');
    if (n % 2) add(d, 'non_state');
  }
  for (const region of ['091', '092', '093', '094', '095', '096', '097']) for (let k = 0; k < 3; k++) add(region, k ? 'non_state' : 'state');
  for (const state of ['02', '04', '11']) add(state, 'state');
  while (rows.length < 900) add(districts[rows.length % districts.length]!, 'non_state');
  return [header, ...rows].join('\n');
}

async function adminCookie(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench-admin@bench.example', password: AGENT_PASSWORD }),
  });
  if (!login.ok) throw new Error(`admin login: ${login.status}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0]!;
}

export async function measureOffices(server: Running, opts: { lookups: number; concurrency: number }): Promise<OfficesResult> {
  const table = JSON.parse(readFileSync(join(ROOT, 'packages/server/geodata/postcodes-de.json'), 'utf8')) as { districts: Record<string, string>; postcodes: Record<string, unknown>; nonResidential: string[] };
  const cookie = await adminCookie(server.url);
  const imported = await fetch(`${server.url}/api/offices/import?format=csv`, { method: 'POST', headers: { cookie, 'content-type': 'text/csv' }, body: directory(Object.keys(table.districts)) });
  const report = (await imported.json()) as { applied: boolean; created: unknown[]; rejected: unknown[] };
  if (!report.applied) throw new Error(`directory import refused: ${JSON.stringify(report).slice(0, 500)}`);
  const offices = ((await (await fetch(`${server.url}/api/offices`, { headers: { cookie } })).json()) as { offices: unknown[] }).offices.length;

  // Real postcodes, with some unknown, post-box and malformed ones mixed in, as visitors type them.
  const codes = Object.keys(table.postcodes);
  const sample = (i: number) => (i % 50 === 0 ? '99999' : i % 50 === 1 ? table.nonResidential[i % table.nonResidential.length]! : i % 50 === 2 ? '12a45' : codes[(i * 7919) % codes.length]!);
  const statuses: Record<string, number> = {};
  const times: number[] = [];
  const run = async (i: number) => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/public/offices/lookup?postcode=${sample(i)}&carrier=${['any', 'state', 'non_state'][i % 3]}`);
    const body = (await res.json()) as { status?: string };
    times.push(performance.now() - t0);
    const s = body.status ?? `http ${res.status}`;
    statuses[s] = (statuses[s] ?? 0) + 1;
  };
  for (let i = 0; i < 200; i++) await run(i); // warm-up (JIT, statement cache)
  times.length = 0;
  for (const k of Object.keys(statuses)) delete statuses[k];
  const cpu0 = cpuMs(server.pid);
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < opts.lookups) await run(next++);
    }),
  );
  const cpu1 = cpuMs(server.pid);
  const sorted = times.sort((a, b) => a - b);

  return {
    offices,
    lookups: opts.lookups,
    concurrency: opts.concurrency,
    latencyMs: { p50: round(pct(sorted, 50)), p95: round(pct(sorted, 95)), p99: round(pct(sorted, 99)), max: round(sorted.at(-1)!) },
    serverCpuMsPerLookup: cpu0 !== null && cpu1 !== null ? round((cpu1 - cpu0) / opts.lookups) : null,
    loadAverage: round(loadavg()[0]!),
    statuses,
    searchAdds: await measureEntryWeight(server, 'offices', 'direturn-office-search input[name="postcode"]'),
    orientationAdds: await measureEntryWeight(server, 'orientation', 'direturn-orientation-view form'),
  };
}

/** CPU time (user + system) a process has used, in ms; null where /proc is not there. */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return null;
  }
}

/** Opens the chat on the demo page, then a home entry's view: sums what the frame loads after that click (gzip as on the wire). */
async function measureEntryWeight(server: Running, entry: string, ready: string): Promise<OfficesResult['searchAdds']> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    let recording = false;
    const pending: Array<Promise<{ url: string; gzip: number } | null>> = [];
    page.on('response', (r) => {
      if (!recording) return;
      pending.push(
        r.body().then(
          (body) => ({ url: new URL(r.url()).pathname, gzip: gzipSync(body, { level: 9 }).length }),
          () => null,
        ),
      );
    });
    await page.goto(`${server.url}/demo/`, { waitUntil: 'load' });
    await page.locator('direturn-chat button.launcher').click();
    const frame = page.frameLocator('direturn-chat iframe');
    await frame.locator('textarea').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    recording = true;
    await frame.locator(`[part="entry"][data-entry="${entry}"]`).click();
    await frame.locator(ready).waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    recording = false;
    const resources = (await Promise.all(pending)).filter((r): r is { url: string; gzip: number } => r !== null);
    await context.close();
    return { gzip: resources.reduce((a, r) => a + r.gzip, 0), resources };
  } finally {
    await browser.close();
  }
}
