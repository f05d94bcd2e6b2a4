/**
 * i18next for the chat app. Only the language in use is fetched (from `./locales/<lang>.json` next
 * to the bundle). Per-key fallback (English, then German) is filled into each file at build time
 * (build/locales.mjs), so a missing translation never costs a second download; English is fetched
 * only when a locale file fails to load.
 */
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { languageDirection, type TextDirection } from '@direturn/protocol';

/** Languages with a locale file in src/i18n/locales/. */
export const UI_LANGUAGES = ['de', 'en', 'tr', 'ar', 'ru', 'fa', 'uk', 'ps', 'ku', 'sq', 'sr', 'ka', 'fr'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const FALLBACK_UI_LANGUAGE: UiLanguage = 'en';

export function isUiLanguage(code: string): code is UiLanguage {
  return (UI_LANGUAGES as readonly string[]).includes(code);
}

export type Resources = Record<string, unknown>;
export type LocaleLoader = (lang: UiLanguage) => Promise<Resources>;

export const fetchLocale: LocaleLoader = async (lang) => {
  const response = await fetch(new URL(`./locales/${lang}.json`, import.meta.url));
  if (!response.ok) throw new Error(`locale ${lang}: HTTP ${response.status}`);
  return (await response.json()) as Resources;
};

/**
 * The texts the frame document carries inline (`<script type="application/json" id="direturn-texts"
 * data-lang>`, see the server's frame route) for its language; other languages are fetched.
 */
export function inlineTextsFirst(doc: Document, fallback: LocaleLoader = fetchLocale): LocaleLoader {
  const el = doc.getElementById('direturn-texts');
  let texts: Resources | undefined;
  try {
    texts = el?.textContent ? (JSON.parse(el.textContent) as Resources) : undefined;
  } catch {
    texts = undefined; // a broken block costs one fetch, nothing more
  }
  const inlineLang = el?.dataset['lang'];
  return (lang) => (texts && lang === inlineLang ? Promise.resolve(texts) : fallback(lang));
}

export const i18n: I18n = i18next.createInstance();
/** `i18n.t`, bound so it can be passed around. */
export const t: TFunction = i18n.t.bind(i18n) as TFunction;

let loader: LocaleLoader = fetchLocale;

async function ensureLoaded(lang: string): Promise<UiLanguage> {
  const wanted: UiLanguage = isUiLanguage(lang) ? lang : FALLBACK_UI_LANGUAGE;
  if (i18n.hasResourceBundle(wanted, 'translation')) return wanted;
  try {
    i18n.addResourceBundle(wanted, 'translation', await loader(wanted));
    return wanted;
  } catch (error) {
    if (wanted === FALLBACK_UI_LANGUAGE) throw error;
    return ensureLoaded(FALLBACK_UI_LANGUAGE);
  }
}

/** Initialises i18next with the texts of `lang` (or English when there are none). */
export async function initI18n(lang: string, load: LocaleLoader = fetchLocale): Promise<UiLanguage> {
  loader = load;
  if (!i18n.isInitialized) {
    await i18n.init({
      lng: undefined,
      fallbackLng: false,
      resources: {},
      partialBundledLanguages: true,
      initAsync: false,
      // Lit escapes every text binding; i18next must not escape a second time.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  return setUiLanguage(lang);
}

/** Loads (if needed) and switches to `lang`; resolves to the UI language actually used. */
export async function setUiLanguage(lang: string): Promise<UiLanguage> {
  const ui = await ensureLoaded(lang);
  await i18n.changeLanguage(ui);
  return ui;
}

export function uiDirection(): TextDirection {
  return languageDirection(i18n.language ?? FALLBACK_UI_LANGUAGE);
}

/** Re-renders a Lit host whenever the language changes; `t` translates. */
export class I18nController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  get t(): TFunction {
    return t;
  }
  get language(): string {
    return i18n.language;
  }
  private onChange = () => this.host.requestUpdate();
  hostConnected(): void {
    i18n.on('languageChanged', this.onChange);
  }
  hostDisconnected(): void {
    i18n.off('languageChanged', this.onChange);
  }
}
