/**
 * The chat app's texts. Only the language in use is fetched (from `./locales/<lang>.json` next to
 * the bundle, or inline in the frame document). Per-key fallback (English, then German) is filled
 * into each file at build time (build/locales.mjs), so a missing translation never costs a second
 * download; English is fetched only when a locale file fails to load. The files are i18next
 * resources; translate.ts reads them (why not i18next's runtime: see there).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { languageDirection, type TextDirection } from '@direturn/protocol';
import { translate, type Resources, type Values } from './translate.js';

export type { Resources, Values };
/** Translates a key in the current UI language. */
export type Translate = (key: string, values?: Values) => string;

/** Languages with a locale file in src/i18n/locales/. */
export const UI_LANGUAGES = ['de', 'en', 'tr', 'ar', 'ru', 'fa', 'uk', 'ps', 'ku', 'sq', 'sr', 'ka', 'fr'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const FALLBACK_UI_LANGUAGE: UiLanguage = 'en';

export function isUiLanguage(code: string): code is UiLanguage {
  return (UI_LANGUAGES as readonly string[]).includes(code);
}

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

/** The loaded languages and the one in use. */
class Texts {
  language: UiLanguage = FALLBACK_UI_LANGUAGE;
  private readonly bundles = new Map<UiLanguage, Resources>();
  private readonly listeners = new Set<() => void>();

  has(lang: UiLanguage): boolean {
    return this.bundles.has(lang);
  }
  add(lang: UiLanguage, res: Resources): void {
    this.bundles.set(lang, { ...res, ...this.extra.get(lang) });
  }
  /** Texts of a lazily loaded view (a namespace), added to the language's bundle. */
  extend(lang: UiLanguage, res: Resources): void {
    this.extra.set(lang, { ...this.extra.get(lang), ...res });
    this.bundles.set(lang, { ...this.bundles.get(lang), ...res });
  }
  private readonly extra = new Map<UiLanguage, Resources>();
  /** Drops a loaded language (tests). */
  forget(lang: UiLanguage): void {
    this.bundles.delete(lang);
  }
  use(lang: UiLanguage): void {
    this.language = lang;
    for (const listener of this.listeners) listener();
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  readonly t: Translate = (key, values) => translate(this.language, this.bundles.get(this.language) ?? {}, key, values);
}

export const i18n = new Texts();
/** Translates in the current UI language; can be passed around. */
export const t: Translate = i18n.t;

let loader: LocaleLoader = fetchLocale;

async function ensureLoaded(lang: string): Promise<UiLanguage> {
  const wanted: UiLanguage = isUiLanguage(lang) ? lang : FALLBACK_UI_LANGUAGE;
  if (i18n.has(wanted)) return wanted;
  try {
    i18n.add(wanted, await loader(wanted));
    return wanted;
  } catch (error) {
    if (wanted === FALLBACK_UI_LANGUAGE) throw error;
    return ensureLoaded(FALLBACK_UI_LANGUAGE);
  }
}

/**
 * Texts of views loaded on demand (the office search), kept out of the locale file the frame
 * inlines: `./locales/<namespace>/<lang>.json` beside the bundle, filled like the main ones.
 */
export type NamespaceLoader = (namespace: string, lang: UiLanguage) => Promise<Resources>;
const fetchNamespace: NamespaceLoader = async (namespace, lang) => {
  const response = await fetch(new URL(`./locales/${namespace}/${lang}.json`, import.meta.url));
  if (!response.ok) throw new Error(`locale ${namespace}/${lang}: HTTP ${response.status}`);
  return (await response.json()) as Resources;
};
const namespaces = new Set<string>();
const namespacesLoaded = new Set<string>();

async function loadNamespace(namespace: string, lang: UiLanguage): Promise<void> {
  if (namespacesLoaded.has(`${namespace}:${lang}`)) return;
  i18n.extend(lang, await fetchNamespace(namespace, lang));
  namespacesLoaded.add(`${namespace}:${lang}`);
}

/** A view's texts in one language without switching to it (the orientation check prints a German copy). */
export const namespaceTexts = (namespace: string, lang: UiLanguage): Promise<Resources> => fetchNamespace(namespace, lang);

/** Loads a view's texts in the current language, and in every language switched to later. */
export async function useNamespace(namespace: string): Promise<void> {
  namespaces.add(namespace);
  await loadNamespace(namespace, i18n.language);
  i18n.use(i18n.language);
}

/** Loads the texts of `lang` (or English when there are none) with `load`, and uses them. */
export async function initI18n(lang: string, load: LocaleLoader = fetchLocale): Promise<UiLanguage> {
  loader = load;
  return setUiLanguage(lang);
}

/** Loads (if needed) and switches to `lang`; resolves to the UI language actually used. */
export async function setUiLanguage(lang: string): Promise<UiLanguage> {
  const ui = await ensureLoaded(lang);
  // A view's texts missing in this language fall back to the keys' English defaults of the main file.
  await Promise.all([...namespaces].map((ns) => loadNamespace(ns, ui).catch(() => undefined)));
  i18n.use(ui);
  return ui;
}

export function uiDirection(): TextDirection {
  return languageDirection(i18n.language);
}

/** Re-renders a Lit host whenever the language changes; `t` translates. */
export class I18nController implements ReactiveController {
  private unsubscribe?: () => void;
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  get t(): Translate {
    return t;
  }
  get language(): string {
    return i18n.language;
  }
  hostConnected(): void {
    this.unsubscribe = i18n.onChange(() => this.host.requestUpdate());
  }
  hostDisconnected(): void {
    this.unsubscribe?.();
  }
}
