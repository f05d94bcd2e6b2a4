/**
 * Entry of dist/widget.js, the script partner pages load:
 *
 *   <script type="module" src="https://DIRETURN-HOST/widget.js" data-site="SITE_KEY"></script>
 *
 * Defines `<direturn-chat>`, appends one to the page if the tag above is used and the page has
 * none (with the tag's `data-lang` and `data-side`), and installs the `window.DiReturn` API (replaying calls queued before the script loaded).
 */
import { DiReturnChat } from './direturn-chat.js';
import { installHostApi } from './api.js';

export { DiReturnChat };
export type { DiReturnApi, HostCommand } from './api.js';
export { DiReturnReadyEvent } from '../events/direturn-ready.js';
export { DiReturnOpenEvent } from '../events/direturn-open.js';
export { DiReturnCloseEvent } from '../events/direturn-close.js';

/** The `<script data-site>` tag that loaded this module (document.currentScript is null for modules). */
function ownScriptTag(): HTMLScriptElement | undefined {
  const here = import.meta.url;
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[data-site][src]')) {
    if (new URL(script.getAttribute('src') ?? '', document.baseURI).href === here) return script;
  }
  return undefined;
}

function autoMount(): void {
  const script = ownScriptTag();
  const site = script?.dataset['site'];
  if (!site || document.querySelector('direturn-chat')) return;
  const el = document.createElement('direturn-chat');
  el.site = site;
  for (const name of ['lang', 'side']) {
    const value = script.dataset[name];
    if (value) el.setAttribute(name, value);
  }
  document.body.append(el);
}

autoMount();
installHostApi();
