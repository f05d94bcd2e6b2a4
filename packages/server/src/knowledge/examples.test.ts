import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/database.js';
import { createPgDatabase, TEST_DATABASE, type TestPgDatabase } from '../test-support/databases.js';
import { loadExamples, parseExchange } from './examples.js';
import { KnowledgeService } from './knowledge.service.js';

let storage: Storage | undefined;
let pgDb: TestPgDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  await storage?.close();
  await pgDb?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  storage = pgDb = dir = undefined;
});

async function kb(): Promise<KnowledgeService> {
  dir = mkdtempSync(join(tmpdir(), 'direturn-kb-'));
  if (TEST_DATABASE === 'postgres') pgDb = await createPgDatabase();
  storage = await openStorage({ databaseUrl: pgDb?.url, databaseFile: join(dir, 'direturn.sqlite') });
  return new KnowledgeService(storage.db);
}

it('ships at least 12 example articles, each in German and English, with sources and the "a counsellor checks" note', () => {
  const { articles } = loadExamples();
  expect(articles.length).toBeGreaterThanOrEqual(12);
  for (const a of articles) {
    expect(a.example).toBe(true);
    expect(a.sources.length).toBeGreaterThan(0);
    expect(Object.keys(a.translations)).toEqual(expect.arrayContaining(['de', 'en']));
    for (const t of Object.values(a.translations)) {
      expect(t.status).toBe('review');
      expect(t.body.length).toBeGreaterThan(100);
    }
    expect(a.translations.de!.body).toMatch(/Beratung|Berater/);
    expect(a.translations.en!.body).toContain('A counsellor checks your individual case');
  }
});

it('imports, exports and imports again without new versions; a changed text gets one', async () => {
  const service = await kb();
  const first = await service.importAll(loadExamples(), { by: null });
  expect(first.created).toBeGreaterThanOrEqual(12);
  // Needs review: nothing reaches visitors yet.
  expect(await service.cards('de')).toEqual([]);
  const exported = await service.exportAll();
  expect(parseExchange(JSON.parse(JSON.stringify(exported))).ok).toBe(true);
  const again = await service.importAll(exported, { by: null });
  expect(again).toMatchObject({ created: 0, versions: 0 });
  const changed = structuredClone(exported);
  changed.articles[0]!.translations.de!.body += '\n\nNeu.';
  changed.articles[0]!.translations.de!.status = 'published';
  expect((await service.importAll(changed, { by: null })).versions).toBe(1);
  expect((await service.cards('de')).map((c) => c.slug)).toEqual([changed.articles[0]!.slug]);
  // The demo publishes every text (and shows them as example content).
  await service.importAll(loadExamples(), { by: null, publishAll: true });
  const cards = await service.cards('ar');
  expect(cards.length).toBeGreaterThanOrEqual(12);
  expect(cards.every((c) => c.example)).toBe(true);
});

it('refuses a malformed exchange file with readable issues', () => {
  const r = parseExchange({ format: 'direturn-knowledge', version: 1, articles: [{ slug: 'Bad Slug', topic: 'basics', countries: 'all', sources: [], sourceLanguage: 'de', translations: { xx: {} } }] });
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.issues.join(' ')).toMatch(/slug/);
});
