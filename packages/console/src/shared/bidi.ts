/**
 * Isolation of text that people or the server wrote (names, site names, language names, page
 * addresses) so each keeps its own direction inside a sentence of the interface language:
 * without it `العربية · 127.0.0.1:18300/demo/` renders as `127.0.0.1:18300 · العربية/demo/`,
 * and an Arabic interface reverses the parts of an address.
 *
 * A `dir` attribute isolates like `<bdi>` does (the HTML rendering rules give `[dir]` elements
 * `unicode-bidi: isolate`), so these stay spans and keep working with selectors and styles.
 */
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { nativeLanguageName } from './format.js';

/** Text of unknown direction (a name, a site name): the browser picks it from the first strong character. */
export function isolate(text: unknown, lang?: string): TemplateResult {
  return html`<span dir="auto" lang=${ifDefined(lang)}>${text}</span>`;
}

/** A page address or e-mail: always left to right, whatever the interface's direction. */
export function address(text: unknown): TemplateResult {
  return html`<span dir="ltr">${text}</span>`;
}

/** A language's own name, in its own script and direction. */
export function languageName(code: string): TemplateResult {
  return isolate(nativeLanguageName(code), code);
}

/** "Deutsch, English and العربية" in the interface language, each name isolated. */
export function languageListParts(codes: readonly string[], lng: string): unknown[] {
  return new Intl.ListFormat(lng, { type: 'conjunction' })
    .formatToParts(codes.map(nativeLanguageName))
    .map((part, i, all) => {
      if (part.type !== 'element') return part.value;
      const index = all.slice(0, i).filter((p) => p.type === 'element').length;
      return languageName(codes[index]!);
    });
}
