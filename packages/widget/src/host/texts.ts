import texts from 'virtual:direturn-host-texts';

// Two texts per language keep the host script small: the launcher's name never changes with its
// state (aria-expanded says open/closed), and the unread text needs no plural forms.
const table = (lang: string) => texts[lang] ?? texts['en']!;

/** Name of the launcher, the panel and the frame ("Counselling chat"). */
export const titleText = (lang: string): string => table(lang)[0];

/** "New messages: 3", the number in the language's own digits. */
export function unreadText(lang: string, count: number): string {
  return table(lang)[1].replace('{{count}}', new Intl.NumberFormat(texts[lang] ? lang : 'en').format(count));
}
