/**
 * Entry of dist/chat.js, the chat app in the frame document served by the DiReturn server at
 * `/widget/frame?site=KEY&host=ORIGIN&lang=LL[&accent=COLOR]`.
 */
import { DEFAULT_LANGUAGE, LIMITS, languageDirection, matchLanguage, type LanguageCode } from '@direturn/protocol';
import { initI18n } from '../i18n/i18n.js';
import { applyAccent } from '../theme/accent.js';
import { VisitorConnection, wsUrlFor } from './connection.js';
import { FrameBridge } from './bridge.js';
import { ChatApp, LANGUAGE_STORAGE_KEY } from './chat-app.js';
import { openFrameStorage } from './storage.js';


/** The visitor's earlier choice inside the chat, then what the host asked for, then the browser. */
export function pickLanguage(param: string | null, stored: string | null, browser: readonly string[]): LanguageCode {
  for (const tag of [stored, param, ...browser]) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const site = params.get('site') ?? '';
  const host = params.get('host') ?? '';
  const frameStorage = openFrameStorage();
  const language = pickLanguage(params.get('lang'), frameStorage.storage.getItem(LANGUAGE_STORAGE_KEY), navigator.languages ?? []);
  applyAccent(params.get('accent'));

  const ui = await initI18n(language);
  document.documentElement.lang = ui;
  document.documentElement.dir = languageDirection(ui);

  const connection = new VisitorConnection({
    url: wsUrlFor(location),
    site,
    origin: host,
    language,
    storage: frameStorage.storage,
    ...(params.get('page') ? { pageUrl: params.get('page')!.slice(0, LIMITS.pageUrlMaxChars) } : {}),
  });
  // The frame document is bare; let the app fill it (CSSOM, so a strict style-src CSP is fine).
  for (const el of [document.documentElement, document.body]) {
    el.style.margin = '0';
    el.style.blockSize = '100%';
  }
  const app = document.createElement('direturn-chat-app') as ChatApp;
  app.site = site;
  app.storage = frameStorage;
  app.connection = connection;
  app.bridge = new FrameBridge(host);
  document.body.append(app);
  connection.connect();
}

void main();
