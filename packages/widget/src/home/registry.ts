import { registerHomeEntry } from './entries.js';

// The views of the home view. Only this small table is in chat.js; each view's code is its own
// chunk, fetched when opened. Orientation check (issue 13) and office finder (issue 17) add a
// line here when their views exist.
registerHomeEntry({ id: 'info', label: 'home.info', load: () => import('../info/info-view.js').then(() => 'direturn-info-view') });
