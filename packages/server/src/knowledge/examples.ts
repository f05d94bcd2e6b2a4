import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KbExchangeFile } from '@direturn/protocol';
import { KbExchangeSchema, parse } from '@direturn/protocol/schemas';

/** The example articles that ship with DiReturn (packages/server/content/knowledge/*.json), one file per article. */
export const EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../content/knowledge');

/** Reads and checks an exchange file (what `direturn knowledge export` writes). */
export function parseExchange(json: unknown): { ok: true; value: KbExchangeFile } | { ok: false; issues: string[] } {
  const r = parse(KbExchangeSchema, json);
  return r.ok ? { ok: true, value: r.value as KbExchangeFile } : r;
}

/** Every shipped example article as one exchange file; marked as example content. */
export function loadExamples(dir = EXAMPLES_DIR): KbExchangeFile {
  const articles: KbExchangeFile['articles'] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const r = parseExchange({ format: 'direturn-knowledge', version: 1, articles: [JSON.parse(readFileSync(join(dir, file), 'utf8'))] });
    if (!r.ok) throw new Error(`${file}: ${r.issues.join('; ')}`);
    articles.push(...r.value.articles.map((a) => ({ ...a, example: true })));
  }
  return { format: 'direturn-knowledge', version: 1, articles };
}
