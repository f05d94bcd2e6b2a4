/**
 * What the home view offers besides writing to a counsellor. Each feature registers its entry
 * here (see registry.ts); an entry is shown only once its view is registered, so the home view
 * never shows a button for a view that does not exist. Known ids, in this order:
 * - `info`: find information (topics, search, articles), this issue;
 * - `callback`: ask for a call back (issue 16);
 * - `orientation`: the orientation check (issue 13);
 * - `offices`: find my counselling office (issue 17);
 * - `resume`: continue on another device with a resume code (issue 14).
 * A view's code is loaded when the visitor opens it (`load`: a dynamic import, a chunk of its own).
 */
export interface HomeEntry {
  id: 'info' | 'orientation' | 'offices' | (string & {});
  /** Text key of the entry's label (and the view's title). */
  label: string;
  /** Loads the view and returns the tag of its element. */
  load: () => Promise<string>;
  /** Not a button of the home view: opened from elsewhere in the chat (the reply-notice entry of a conversation). */
  hidden?: boolean;
}

const ORDER = ['info', 'callback', 'orientation', 'offices', 'resume'];
const entries: HomeEntry[] = [];

export function registerHomeEntry(entry: HomeEntry): void {
  if (entries.some((e) => e.id === entry.id)) return;
  entries.push(entry);
  entries.sort((a, b) => (ORDER.indexOf(a.id) + 1 || 99) - (ORDER.indexOf(b.id) + 1 || 99));
}

export const homeEntries = (): readonly HomeEntry[] => entries;
export const homeButtons = (): readonly HomeEntry[] => entries.filter((e) => !e.hidden);
