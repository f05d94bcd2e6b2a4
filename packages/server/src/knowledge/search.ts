import type { KbSnippetPart } from '@direturn/protocol';
import { normaliseWithMap } from './normalise.js';

const SNIPPET_CHARS = 180;

/**
 * A piece of `text` around the first place a token occurs, with every occurrence of a token in it
 * marked. Found in the normal form, cut and marked in the original (what the author wrote).
 */
export function snippet(text: string, tokens: readonly string[]): KbSnippetPart[] {
  const { text: norm, map } = normaliseWithMap(text);
  const ranges: Array<[number, number]> = [];
  for (const t of tokens) {
    const short = [...t].length < 3;
    for (let i = norm.indexOf(t); i >= 0; i = norm.indexOf(t, i + 1)) {
      if (short && i > 0 && norm[i - 1] !== ' ') continue;
      ranges.push([map[i]!, endOf(text, map, i + t.length, norm.length)]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  const first = merged[0]?.[0] ?? 0;
  let start = Math.max(0, first - 60);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > Math.max(start, merged[0]?.[1] ?? start) ? space : end;
  }
  const parts: KbSnippetPart[] = [];
  const push = (s: string, hit: boolean) => {
    const clean = s.replace(/\s+/g, ' ');
    if (clean) parts.push(hit ? { text: clean, hit: true } : { text: clean });
  };
  if (start > 0) push('… ', false);
  let at = start;
  for (const [a, b] of merged) {
    if (b <= start || a >= end) continue;
    push(text.slice(at, Math.max(a, at)), false);
    push(text.slice(Math.max(a, at), Math.min(b, end)), true);
    at = Math.min(b, end);
  }
  push(text.slice(at, end), false);
  if (end < text.length) push(' …', false);
  return parts;
}

/** Original offset just after the normalised character before `normEnd` (a whole original character). */
function endOf(text: string, map: number[], normEnd: number, normLength: number): number {
  if (normEnd < normLength) {
    // up to the original character of the next normalised one, minus what was dropped or spaced
    let end = map[normEnd]!;
    while (end > map[normEnd - 1]! + 1 && /[\s\p{P}]/u.test(text[end - 1]!)) end--;
    return end;
  }
  const cp = text.codePointAt(map[normEnd - 1]!)!;
  let end = map[normEnd - 1]! + (cp > 0xffff ? 2 : 1);
  // combining marks (Arabic harakat) belong to the letter
  while (end < text.length && /\p{M}/u.test(text[end]!)) end++;
  return end;
}
