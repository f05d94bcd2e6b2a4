/**
 * The theme the partner page passes to the chat frame, as query parameters of the frame URL
 * (the host element reads them from the page's `--direturn-*` custom properties). Only values of
 * the documented kinds cross; anything else is dropped, and the chat keeps its default. Nothing
 * that could load a resource (a URL, `var()`, an `@` rule) matches.
 */
import { applyAccent } from './accent.js';

/** A radius of 0 to 40px, in px, rem or em (rem and em up to 2.5). */
const RADIUS = /^(\d{1,2}(?:\.\d{1,3})?)(px|r?em)$/;
const MAX_RADIUS_PX = 40;

/** One family: a name of letters (any script), digits, spaces, `-` and `_`, bare or quoted. */
const FAMILY = String.raw`(?:[\p{L}\p{N}_-][\p{L}\p{N} _-]*|"[\p{L}\p{N} _-]+"|'[\p{L}\p{N} _-]+')`;
/** Comma-separated families (generic ones such as `sans-serif` are names too), at most 200 characters. */
const FONT_FAMILY = new RegExp(String.raw`^${FAMILY}(?:\s*,\s*${FAMILY})*$`, 'u');
const MAX_FONT_CHARS = 200;

/** The `--direturn-radius` value if it is one of the documented kind, else undefined. */
export function validRadius(value: string | null): string | undefined {
  const m = value ? RADIUS.exec(value.trim()) : null;
  if (!m) return value?.trim() === '0' ? '0' : undefined;
  const size = Number(m[1]) * (m[2] === 'px' ? 1 : 16);
  return size <= MAX_RADIUS_PX ? m[0] : undefined;
}

/** The `--direturn-font-family` value if it is a list of family names, else undefined. */
export function validFontFamily(value: string | null): string | undefined {
  const v = value?.trim();
  if (!v || v.length > MAX_FONT_CHARS || !FONT_FAMILY.test(v) || !CSS.supports('font-family', v)) return undefined;
  return v;
}

/**
 * Applies the frame URL's theme: `accent` and `contrast` (colours, with the WCAG check of
 * applyAccent), `radius` and `font`. Returns the tokens it set.
 */
export function applyTheme(params: URLSearchParams, root: HTMLElement = document.documentElement): string[] {
  const set: string[] = [];
  if (applyAccent(params.get('accent'), params.get('contrast'), root)) set.push('accent');
  const radius = validRadius(params.get('radius'));
  if (radius) {
    root.style.setProperty('--direturn-radius', radius);
    set.push('radius');
  }
  const font = validFontFamily(params.get('font'));
  if (font) {
    root.style.setProperty('--direturn-font-family', font);
    set.push('font');
  }
  return set;
}
