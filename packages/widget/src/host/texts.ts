import texts from 'virtual:direturn-host-texts';

// Two texts per language keep the host script small: the launcher's name never changes with its
// state (aria-expanded says open/closed), and the unread text needs no plural forms.
const table = (lang: string) => texts[lang] ?? texts['en']!;

/** Name of the launcher, the panel and the frame ("Counselling chat"). */
export const titleText = (lang: string): string => table(lang)[0];

/** A number in the language's own digits (the badge, the unread text). */
export const formatCount = (lang: string, count: number): string => new Intl.NumberFormat(texts[lang] ? lang : 'en').format(count);

/** "New messages: 3". */
export const unreadText = (lang: string, count: number): string => table(lang)[1].replace('{{count}}', formatCount(lang, count));
