import { registerHomeEntry } from './entries.js';

// The views of the home view. Only this small table is in chat.js; each view's code is its own
// chunk, fetched when opened.
registerHomeEntry({ id: 'info', label: 'home.info', load: () => import('../info/info-view.js').then(() => 'direturn-info-view') });
registerHomeEntry({ id: 'callback', label: 'callback.entry', load: () => import('../callback/callback-view.js').then(() => 'direturn-callback-view') });
registerHomeEntry({ id: 'orientation', label: 'orientation.entry', load: () => import('../orientation/orientation-view.js').then(() => 'direturn-orientation-view') });
registerHomeEntry({ id: 'offices', label: 'app.officesLink', load: () => import('../offices/office-search.js').then(() => 'direturn-office-search') });
registerHomeEntry({ id: 'reply-notice', label: 'replyNotice.entry', hidden: true, load: () => import('../reply-notice/reply-notice-view.js').then(() => 'direturn-reply-notice-view') });
registerHomeEntry({ id: 'resume', label: 'resume.entry', load: () => import('../resume/resume-view.js').then(() => 'direturn-resume-view') });
