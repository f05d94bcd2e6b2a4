import type { LanguageCode } from '@direturn/protocol';
import type { MailMessage } from '../mail/mailer.js';

const germanDate = (ms: number) => new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: 'Europe/Berlin' }).format(ms);
export const germanLanguageName = (code: LanguageCode | string): string => {
  try {
    return new Intl.DisplayNames(['de'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
};

/**
 * The mail to the office, in German (the offices' language). It carries no personal data: only
 * that a person asks for counselling, in which language, and the private link where the office
 * opens the referral (and confirms receipt) while the consent stands.
 */
export function referralMail(m: { to: string; officeName: string; language: LanguageCode; link: string; expiresAt: number }): MailMessage {
  const language = germanLanguageName(m.language);
  return {
    to: m.to,
    subject: `Neue Weiterleitung zur Rückkehrberatung über DiReturn (Sprache: ${language})`,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    text: [
      'Guten Tag,',
      '',
      `über DiReturn bittet eine Person um Rückkehrberatung bei Ihrer Stelle „${m.officeName}“. Sie spricht ${language} und hat der Weiterleitung an Sie zugestimmt.`,
      '',
      'Bitte öffnen Sie die Weiterleitung über diesen privaten Link. Dort bestätigen Sie den Eingang, sehen die Zusammenfassung und melden später das Ergebnis (ohne Benutzerkonto):',
      '',
      m.link,
      '',
      `Der Link gilt bis zum ${germanDate(m.expiresAt)} und nur für diese eine Weiterleitung. Bitte leiten Sie diese E-Mail nicht weiter.`,
      'Solange Sie die Weiterleitung nicht geöffnet haben, kann die Person ihre Zustimmung zurückziehen; der Link zeigt dann keine Daten mehr.',
      '',
      'Diese Nachricht wurde automatisch von DiReturn versendet. Antworten auf diese E-Mail werden nicht gelesen.',
    ].join('\n'),
  };
}
