/**
 * Interface language of the console (not of the conversations): the agent's stored choice, else
 * the browser's, else German. Texts live in `locales/*.json` beside the bundle (`dist/locales/`)
 * and are fetched at run time relative to this module's URL; a key missing in a language falls
 * back to English, then German (both are loaded as fallbacks). Only the chosen language and the two
 * fallbacks are fetched; the other locale files are never part of the bundle.
 */
import { createInstance, type TFunction } from 'i18next';
import { languageDirection, matchLanguage } from '@direturn/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Order of the language switch (as in the protocol's LANGUAGES). Texts are fetched on demand, never bundled. */
export const UI_LANGUAGES = ['de', 'en', 'tr', 'ar', 'ru', 'fa', 'uk', 'ps', 'ku', 'sq', 'sr', 'ka', 'fr'] as const;
export const FALLBACK_LANGUAGES: readonly UiLanguage[] = ['en', 'de'];
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const DEFAULT_UI_LANGUAGE: UiLanguage = 'de';
const STORAGE_KEY = 'direturn.console.language';

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (UI_LANGUAGES as readonly string[]).includes(value);
}

/** The stored choice, else the first browser language we ship, else German. */
export function detectUiLanguage(languages: readonly string[] = navigator.languages ?? [navigator.language]): UiLanguage {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isUiLanguage(stored)) return stored;
  } catch {
    /* storage may be blocked */
  }
  for (const tag of languages) {
    const code = matchLanguage(tag); // also maps Dari (prs) to fa and kmr to ku
    if (isUiLanguage(code)) return code;
  }
  return DEFAULT_UI_LANGUAGE;
}

/** The console's own instance, so a host page's i18next (if any) is never touched. */
const i18next = createInstance();
const loaded = new Set<string>();

async function loadResources(lng: UiLanguage): Promise<void> {
  if (loaded.has(lng)) return;
  const url = new URL(`./locales/${lng}.json`, import.meta.url);
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`Could not load texts for ${lng}: HTTP ${res.status}`);
  const data = (await res.json()) as Record<string, unknown>;
  i18next.addResourceBundle(lng, 'translation', data, true, true);
  loaded.add(lng);
}

let initPromise: Promise<void> | undefined;

/** Initialises i18next once; later calls switch the language. */
export async function initI18n(lng: UiLanguage = detectUiLanguage()): Promise<void> {
  if (!initPromise) {
    initPromise = i18next
      .init({
        lng,
        fallbackLng: [...FALLBACK_LANGUAGES],
        supportedLngs: [...UI_LANGUAGES],
        resources: {},
        partialBundledLanguages: true,
        interpolation: { escapeValue: false }, // Lit escapes; texts are never HTML
        returnNull: false,
      })
      .then(() => undefined);
  }
  await initPromise;
  await setUiLanguage(lng, false);
}

/** Initialises with the detected language unless an earlier call already chose one. */
export async function ensureI18n(): Promise<void> {
  if (initPromise) return initPromise;
  await initI18n();
}

export async function setUiLanguage(lng: UiLanguage, remember = true): Promise<void> {
  await loadResources(lng);
  for (const fallback of FALLBACK_LANGUAGES) if (fallback !== lng) await loadResources(fallback).catch(() => undefined);
  await i18next.changeLanguage(lng);
  document.documentElement.lang = lng;
  document.documentElement.dir = languageDirection(lng);
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lng);
    } catch {
      /* storage may be blocked */
    }
  }
}

export function uiLanguage(): UiLanguage {
  const lng = i18next.resolvedLanguage ?? i18next.language;
  return isUiLanguage(lng) ? lng : DEFAULT_UI_LANGUAGE;
}

export const t: TFunction = ((...args: Parameters<TFunction>) => i18next.t(...args)) as TFunction;

/** A piece of a translated message: its own text, or the place of a slot. */
export type MessagePart = { text: string } | { slot: string };

// Private-use characters: never part of a translation, so they mark the slots safely.
const SLOT_START = '\uE000';
const SLOT_END = '\uE001';
const SLOT = /\uE000([^\uE001]*)\uE001/;

/**
 * A message whose placeholders `slots` are filled with markup (a language name with its own `lang`,
 * a `<time>` element): the translated text split at those placeholders, so the sentence stays one
 * message with the translator's word order. Other placeholders are interpolated from `options`.
 */
export function messageParts(key: string, slots: readonly string[], options: Record<string, unknown> = {}): MessagePart[] {
  const markers = Object.fromEntries(slots.map((name) => [name, `${SLOT_START}${name}${SLOT_END}`]));
  const text = i18next.t(key, { ...options, ...markers }) as string;
  // split() with a capture group alternates text and slot names: even indices are text
  return text
    .split(SLOT)
    .map((piece, i): MessagePart => (i % 2 ? { slot: piece } : { text: piece }))
    .filter((part) => !('text' in part) || part.text !== '');
}

/** messageParts() with each slot replaced by its value, ready for a Lit template. */
export function tSlots(key: string, slots: Record<string, unknown>, options: Record<string, unknown> = {}): unknown[] {
  return messageParts(key, Object.keys(slots), options).map((part) => ('text' in part ? part.text : slots[part.slot]));
}

/** Re-renders its host whenever the interface language changes. */
export class I18nController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly onChange = (): void => this.host.requestUpdate();

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    i18next.on('languageChanged', this.onChange);
  }

  hostDisconnected(): void {
    i18next.off('languageChanged', this.onChange);
  }
}
