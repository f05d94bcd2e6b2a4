import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { isLanguageCode, type LanguageCode } from '@direturn/protocol';

/**
 * The chat's texts as the widget build ships them (`<widget dir>/locales/<lang>.json`, every key
 * filled with its English/German fallback), read once at start. The frame document renders its
 * first screen with them and carries the visitor's language inline, so the chat needs no extra
 * round trip for its texts.
 */
export class FrameTexts {
  private readonly i18n: I18n;
  private readonly inline = new Map<LanguageCode, string>();

  constructor(localesDir: string) {
    const resources: Record<string, { translation: Record<string, unknown> }> = {};
    let files: string[] = [];
    try {
      files = readdirSync(localesDir).filter((f) => f.endsWith('.json'));
    } catch {
      // No widget build (server tests without `pnpm build`): the frame still works, without the first screen.
    }
    for (const file of files) {
      const lang = file.slice(0, -'.json'.length);
      if (!isLanguageCode(lang)) continue;
      const json = readFileSync(join(localesDir, file), 'utf8');
      const texts = JSON.parse(json) as Record<string, unknown>;
      resources[lang] = { translation: texts };
      // The information view's and pages' texts stay out of the frame document (its first view
      // must stay small); that view fetches the whole file when it is opened.
      const { info: _info, topic: _topic, ...chat } = texts;
      // Inside <script type="application/json">: "<" must not be able to close the element.
      this.inline.set(lang, JSON.stringify(chat).replace(/</g, '\\u003c'));
    }
    this.i18n = i18next.createInstance();
    void this.i18n.init({ resources, fallbackLng: false, initAsync: false, interpolation: { escapeValue: false }, returnNull: false });
  }

  has(lang: LanguageCode): boolean {
    return this.inline.has(lang);
  }

  /** The locale file, safe to place inside a `<script type="application/json">` element. */
  inlineJson(lang: LanguageCode): string | undefined {
    return this.inline.get(lang);
  }

  t(lang: LanguageCode): TFunction {
    return this.i18n.getFixedT(lang);
  }
}
