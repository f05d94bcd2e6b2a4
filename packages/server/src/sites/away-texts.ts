import { LANGUAGE_CODES, type AwayMessages, type AwayNoticeDto, type LanguageCode } from '@direturn/protocol';

/**
 * Built-in away messages, shown by the widget outside a site's opening hours. Admins override
 * them per site and language; the "available again" line is always the built-in one, with the
 * time filled in, so an override needs no placeholder.
 */
export const DEFAULT_AWAY_TEXTS: Record<LanguageCode, { message: string; back: string }> = {
  de: { message: 'Unsere Beraterinnen und Berater sind gerade nicht erreichbar. Sie können trotzdem schreiben: Wir antworten, sobald wir wieder da sind.', back: 'Wieder erreichbar: {back}.' },
  en: { message: 'Our counsellors are not available right now. You can still write to us: we will reply as soon as we are back.', back: 'Available again: {back}.' },
  tr: { message: 'Danışmanlarımıza şu anda ulaşılamıyor. Yine de yazabilirsiniz: geri döner dönmez yanıt vereceğiz.', back: 'Yeniden ulaşılabilir: {back}.' },
  ar: { message: 'مستشارونا غير متاحين في الوقت الحالي. يمكنك مع ذلك أن تكتب لنا، وسنرد عليك فور عودتنا.', back: 'متاحون مجددًا: {back}.' },
  ru: { message: 'Наши консультанты сейчас недоступны. Вы всё равно можете написать нам: мы ответим, как только вернёмся.', back: 'Снова на связи: {back}.' },
  fa: { message: 'مشاوران ما در حال حاضر در دسترس نیستند. با این حال می‌توانید برای ما بنویسید؛ به محض بازگشت پاسخ می‌دهیم.', back: 'دوباره در دسترس: {back}.' },
  uk: { message: 'Наші консультанти зараз недоступні. Ви все одно можете написати нам: ми відповімо, щойно повернемося.', back: 'Знову на зв’язку: {back}.' },
  ps: { message: 'زموږ سلاکاران اوس مهال شتون نه لري. تاسو بیا هم موږ ته لیکلی شئ؛ کله چې بېرته راشو، ځواب به درکړو.', back: 'بیا به شتون ولري: {back}.' },
  ku: { message: 'Şêwirmendên me niha ne berdest in. Hûn dîsa jî dikarin ji me re binivîsin: gava em vegerin em ê bersiv bidin.', back: 'Dîsa berdest: {back}.' },
  sq: { message: 'Këshilltarët tanë nuk janë të disponueshëm tani. Mund të na shkruani gjithsesi: do t’ju përgjigjemi sapo të kthehemi.', back: 'Sërish të disponueshëm: {back}.' },
  sr: { message: 'Naši savetnici trenutno nisu dostupni. Ipak nam možete pisati: odgovorićemo čim se vratimo.', back: 'Ponovo dostupni: {back}.' },
  ka: { message: 'ჩვენი კონსულტანტები ახლა ხელმისაწვდომი არ არიან. მაინც შეგიძლიათ მოგვწეროთ: დაბრუნებისთანავე გიპასუხებთ.', back: 'კვლავ ხელმისაწვდომი: {back}.' },
  fr: { message: 'Nos conseillères et conseillers ne sont pas disponibles pour le moment. Vous pouvez quand même nous écrire : nous vous répondrons dès notre retour.', back: 'De nouveau disponibles : {back}.' },
};

/** Serbian is shipped in Latin script; Intl's plain `sr` would write Cyrillic. */
const intlLocale = (language: LanguageCode): string => (language === 'sr' ? 'sr-Latn' : language);

/** "Montag, 09:00 MEZ": weekday, time and zone in the visitor's language and the site's time zone. */
export function formatBack(at: number, language: LanguageCode, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale(language), { weekday: 'long', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(at);
}

/** The widget's away notice: the operator's message (or the built-in one) after the time counsellors are back. */
export function awayNotice(language: LanguageCode, overrides: AwayMessages, nextOpen: number | null, timeZone: string): AwayNoticeDto {
  const texts = DEFAULT_AWAY_TEXTS[language];
  const message = overrides[language] ?? texts.message;
  const back = nextOpen === null ? '' : `${texts.back.replace('{back}', formatBack(nextOpen, language, timeZone))} `;
  return { text: back + message, backAt: nextOpen };
}

/** The built-in messages for the admin screen ("leave empty to use this"). */
export const awayDefaults = (): Record<string, string> => Object.fromEntries(LANGUAGE_CODES.map((l) => [l, DEFAULT_AWAY_TEXTS[l].message]));
