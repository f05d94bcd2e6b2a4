import texts from 'virtual:direturn-host-texts';

export type HostTextKey = 'frameTitle' | 'launcherOpen' | 'launcherClose';

function table(lang: string): Record<string, string> {
  return texts[lang] ?? texts['en'] ?? {};
}

/** A plain host text in `lang` (English when the language has no texts). */
export function hostText(lang: string, key: HostTextKey): string {
  return table(lang)[key] ?? texts['en']?.[key] ?? key;
}

/** "3 new messages" with the plural form Intl.PluralRules picks for `lang`. */
export function unreadText(lang: string, count: number): string {
  const t = table(lang);
  const lng = texts[lang] ? lang : 'en';
  let category = 'other';
  try {
    category = new Intl.PluralRules(lng).select(count);
  } catch {
    /* unsupported locale: use "other" */
  }
  const template = t[`unread_${category}`] ?? t['unread_other'] ?? '{{count}}';
  return template.replace(/\{\{\s*count\s*\}\}/g, new Intl.NumberFormat(lng).format(count));
}
