import type { DiReturnChat } from './direturn-chat.js';

export type HostCommand = 'open' | 'close' | 'setLanguage';

/** What a page may put on `window.DiReturn` before widget.js has loaded. */
export interface DiReturnQueueStub {
  (...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
}

/**
 * The page API. `DiReturn('open')`, `DiReturn('close')`, `DiReturn('setLanguage', 'ar')`, or the
 * same as methods. Nothing about the conversation is ever exposed to the page.
 */
export interface DiReturnApi {
  (command: HostCommand, ...args: unknown[]): void;
  open(): void;
  close(): void;
  setLanguage(language: string): void;
  /** Always empty once the real API is installed; kept so the loader snippet stays harmless. */
  q: ArrayLike<unknown>[];
  readonly loaded: true;
}

declare global {
  interface Window {
    DiReturn?: DiReturnQueueStub | DiReturnApi;
  }
}

function findElement(doc: Document): DiReturnChat | null {
  return doc.querySelector('direturn-chat');
}

function apply(el: DiReturnChat, command: unknown, args: unknown[]): void {
  switch (command) {
    case 'open':
      el.show();
      break;
    case 'close':
      el.hide();
      break;
    case 'setLanguage':
      if (typeof args[0] === 'string') el.setLanguage(args[0]);
      break;
    default:
      console.warn(`DiReturn: unknown command ${String(command)}`);
  }
}

/**
 * Replaces `window.DiReturn` (the queueing stub of the loader snippet, if any) by the real API,
 * replays the queued calls in order and fires `direturn:ready` on window. Calls made while the page
 * has no `<direturn-chat>` yet wait for one to be added.
 */
export function installHostApi(win: Window = window): DiReturnApi {
  const existing = win.DiReturn;
  if (existing && (existing as DiReturnApi).loaded) return existing as DiReturnApi;
  const doc = win.document;
  const pending: [unknown, unknown[]][] = [];
  let observer: MutationObserver | undefined;

  const flush = () => {
    const el = findElement(doc);
    if (!el) return false;
    observer?.disconnect();
    observer = undefined;
    for (const [command, args] of pending.splice(0)) apply(el, command, args);
    return true;
  };

  const run = (command: unknown, args: unknown[]) => {
    pending.push([command, args]);
    if (flush() || observer) return;
    observer = new MutationObserver(() => flush());
    observer.observe(doc.documentElement, { childList: true, subtree: true });
  };

  const api = ((command: unknown, ...args: unknown[]) => run(command, args)) as DiReturnApi;
  api.open = () => run('open', []);
  api.close = () => run('close', []);
  api.setLanguage = (language: string) => run('setLanguage', [language]);
  api.q = [];
  Object.defineProperty(api, 'loaded', { value: true });

  const queued = existing?.q ? Array.from(existing.q) : [];
  win.DiReturn = api;
  for (const entry of queued) {
    const [command, ...args] = Array.from(entry);
    run(command, args);
  }
  win.dispatchEvent(new CustomEvent('direturn:ready'));
  return api;
}
