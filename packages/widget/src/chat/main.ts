/**
 * Entry of dist/chat.js, the chat app in the frame document served by the DiReturn server at
 * `/widget/frame?site=KEY&host=ORIGIN[&lang=LL][&pagelang=LL][&accent=COLOR][&contrast=COLOR][&radius=LENGTH][&font=FAMILIES]`.
 */
import { LIMITS } from '@direturn/protocol';
import { pickLanguage } from './pick-language.js';
import { initI18n, inlineTextsFirst } from '../i18n/i18n.js';
import { applyTheme } from '../theme/theme.js';
import { VisitorConnection, wsUrlFor } from './connection.js';
import { FrameBridge } from './bridge.js';
import { ChatApp, LANGUAGE_STORAGE_KEY } from './chat-app.js';
import { openFrameStorage } from './storage.js';


async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const site = params.get('site') ?? '';
  const host = params.get('host') ?? '';
  const frameStorage = openFrameStorage();
  const language = pickLanguage({
    requested: params.get('lang'),
    stored: frameStorage.storage.getItem(LANGUAGE_STORAGE_KEY),
    page: params.get('pagelang'),
    browser: navigator.languages ?? [],
    siteDefault: document.documentElement.dataset['defaultLang'],
  });
  applyTheme(params);

  // the app sets lang and dir on the document from the UI language
  await initI18n(language, inlineTextsFirst(document));

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
  // Loaded again by the host after the visitor accepted a call, now with microphone (and camera).
  app.callGrant = params.get('call');
  // The first screen the server rendered: the app replaces it and keeps what the visitor typed.
  const first = document.getElementById('direturn-first');
  const early = document.getElementById('direturn-first-text') as HTMLTextAreaElement | null;
  const draft = early?.value ?? '';
  // focused by the first screen as the chat opened, or by the visitor: the app's field takes it over
  const focused = early !== null && document.activeElement === early;
  if (first) first.replaceWith(app);
  else document.body.append(app);
  connection.connect();
  // Enter sends in the chat; on the first screen (no script yet) it could only add a line break.
  // A draft ending in one is a visitor who already pressed Enter.
  const send = /\S[^\n]*\n$/.test(draft);
  if (draft || focused) void app.continueDraft(send ? draft.slice(0, -1) : draft, { focus: focused, send });
}

void main();
