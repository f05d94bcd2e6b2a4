import { DEFAULT_LANGUAGE, languageDirection, matchLanguage, type LanguageCode } from '@direturn/protocol';
import type { MailMessage } from '../mail/mailer.js';
import { REPLY_NOTICE_TEXTS, type ReplyNoticeTexts } from './reply-notice-texts.js';

export const noticeTexts = (language: string | null | undefined): { language: LanguageCode; texts: ReplyNoticeTexts } => {
  const lang = matchLanguage(language) ?? DEFAULT_LANGUAGE;
  return { language: lang, texts: REPLY_NOTICE_TEXTS[lang] };
};

/**
 * The notice: a reply waits, where to come back, how to stop these mails. No message text, no
 * counsellor's name, no topic; plain text only (nothing to load, nothing to track).
 */
export function replyNoticeMail(m: { to: string; language: string; page: string | null; removal: string }): MailMessage {
  const { language, texts: t } = noticeTexts(m.language);
  const back = m.page ? [t.returnTo, m.page] : [t.returnSomewhere];
  return {
    to: m.to,
    subject: t.subject,
    headers: {
      // RFC 3834: no auto-responder answers it; RFC 8058: mail programs offer "unsubscribe" with one click.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'List-Unsubscribe': `<${m.removal}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Content-Language': language,
    },
    text: [t.hello, '', t.replied, '', ...back, '', t.device, '', t.protect, '', t.optOut, m.removal, '', t.auto].join('\n'),
  };
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** No scripts; styles inline; the form posts only to this page. */
export const REMOVAL_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The page behind the removal link: the same for every link, valid or not (it tells nobody whether
 * an address exists). `done`: after the POST.
 */
export function removalPage(language: string | undefined, action: string, done: boolean): string {
  const { language: lang, texts: t } = noticeTexts(language);
  const body = done
    ? `<p role="status">${escape(t.pageDone)}</p>`
    : `<p>${escape(t.pageIntro)}</p>
<form method="post" action="${escape(action)}"><button type="submit">${escape(t.pageButton)}</button></form>`;
  return `<!doctype html>
<html lang="${lang}" dir="${languageDirection(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escape(t.pageTitle)}</title>
<style>
  body { font: 17px/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f4; }
  main { max-inline-size: 36rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.4rem; margin-block: 0 1rem; }
  button { font: inherit; min-block-size: 2.75rem; padding: 0.6rem 1.2rem; border-radius: 0.4rem; border: 2px solid #0b5394; background: #0b5394; color: #fff; cursor: pointer; }
  button:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
</style>
</head>
<body><main><h1>${escape(t.pageTitle)}</h1>
${body}</main></body>
</html>`;
}
