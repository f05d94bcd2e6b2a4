import type { ReferralOutcome, ReferralStatus } from '@direturn/protocol';
import { germanLanguageName } from './referral-mail.js';
import type { OfficeView } from './referral.service.js';

// The office's page behind the private link: server-rendered, German, no JavaScript, no account.

const escape = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const when = (ms: number) => new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(ms);

export const OUTCOME_LABELS: Record<ReferralOutcome, string> = {
  contacted: 'Kontakt aufgenommen',
  appointment: 'Erstgespräch vereinbart',
  unreachable: 'Person nicht erreichbar',
  not_responsible: 'Wir sind nicht zuständig (zurück an die Beratung von DiReturn)',
  closed: 'Abgeschlossen',
};
const STATUS_LABELS: Partial<Record<ReferralStatus, string>> = { received: 'Eingang bestätigt', ...OUTCOME_LABELS };

/** No scripts at all; styles inline; forms post only to this page. */
export const OFFICE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escape(title)} – DiReturn</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f4; }
  main { max-inline-size: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  h1 { font-size: 1.5rem; margin-block: 0 1rem; }
  h2 { font-size: 1.15rem; margin-block: 2rem 0.5rem; }
  .card { background: #fff; border: 1px solid #ccc; border-radius: 0.5rem; padding: 1rem 1.25rem; }
  dt { font-weight: 600; margin-block-start: 0.75rem; }
  dd { margin: 0; white-space: pre-wrap; }
  button { font: inherit; padding: 0.6rem 1.2rem; border-radius: 0.4rem; border: 2px solid #0b5394; background: #0b5394; color: #fff; cursor: pointer; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
  fieldset { border: 1px solid #ccc; border-radius: 0.4rem; margin-block: 0 1rem; }
  label { display: block; padding-block: 0.25rem; }
  .muted { color: #555; }
  ol.transcript { padding-inline-start: 1.2rem; }
  ol.transcript li { margin-block: 0.5rem; white-space: pre-wrap; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export const invalidLinkPage = (): string =>
  page(
    'Link ungültig',
    `<h1>Dieser Link ist ungültig oder abgelaufen</h1>
<p>Bitte prüfen Sie, ob Sie den vollständigen Link aus der E-Mail verwenden. Abgelaufene Links lassen sich nicht verlängern; wenden Sie sich bei Bedarf an den Betreiber von DiReturn.</p>`,
  );

export function officePage(view: OfficeView, action: string): string {
  if (view.state === 'withdrawn') {
    return page('Zustimmung zurückgezogen', '<h1>Die Person hat ihre Zustimmung zurückgezogen</h1><p>Deshalb werden keine Daten angezeigt. Sie müssen nichts weiter tun.</p>');
  }
  if (view.state === 'finished') {
    const label = STATUS_LABELS[view.status] ?? view.status;
    return page('Weiterleitung abgeschlossen', `<h1>Diese Weiterleitung ist abgeschlossen</h1><p>Gemeldetes Ergebnis: ${escape(label)}. Es werden keine Daten mehr angezeigt.</p>`);
  }
  if (view.state === 'confirm') {
    return page(
      'Weiterleitung',
      `<h1>Weiterleitung über DiReturn an „${escape(view.officeName)}“</h1>
<div class="card">
<p>Eine Person bittet Ihre Stelle um Rückkehrberatung. Sie spricht <strong>${escape(germanLanguageName(view.language))}</strong> und hat der Weiterleitung zugestimmt.</p>
<p>Bitte bestätigen Sie den Eingang, um die Zusammenfassung zu sehen. Danach kann die Person ihre Zustimmung nicht mehr zurückziehen, und die Beratung bei DiReturn sieht, dass Ihre Stelle die Weiterleitung erhalten hat.</p>
<form method="post" action="${escape(action)}/confirm">
<input type="hidden" name="form" value="${escape(view.form)}">
<button type="submit">Eingang bestätigen und öffnen</button>
</form>
</div>`,
    );
  }
  const s = view.summary;
  const contact = view.contact
    ? view.contact.kind === 'phone'
      ? `<a href="tel:${escape(view.contact.value.replace(/[^\d+]/g, ''))}">${escape(view.contact.value)}</a> (Telefon)`
      : `<a href="mailto:${escape(view.contact.value)}">${escape(view.contact.value)}</a> (E-Mail)`
    : 'Die Person hat keinen Kontaktweg angegeben. Sie wird sich über DiReturn oder direkt bei Ihnen melden.';
  const transcript = view.transcript
    ? `<h2>Chatverlauf (von der Person freigegeben)</h2><ol class="transcript">${view.transcript
        .map((m) => `<li><strong>${m.author === 'visitor' ? 'Person' : 'Beratung DiReturn'}</strong> <span class="muted">${escape(when(m.createdAt))}</span><br>${escape(m.body)}</li>`)
        .join('')}</ol>`
    : '';
  const reported = view.events.length
    ? `<h2>Bisher gemeldet</h2><ul>${view.events.map((e) => `<li>${escape(when(e.at))}: ${escape(STATUS_LABELS[e.status] ?? e.status)}</li>`).join('')}</ul>`
    : '';
  const options = (Object.keys(OUTCOME_LABELS) as ReferralOutcome[])
    .map((o) => `<label><input type="radio" name="outcome" value="${o}" required${o === view.status ? ' checked' : ''}> ${escape(OUTCOME_LABELS[o])}</label>`)
    .join('\n');
  return page(
    'Weiterleitung',
    `<h1>Weiterleitung über DiReturn an „${escape(view.officeName)}“</h1>
<p class="muted">Stand: ${escape(STATUS_LABELS[view.status] ?? view.status)}</p>
<div class="card">
<dl>
<dt>Sprache</dt><dd>${escape(germanLanguageName(s.language))}</dd>
<dt>Rückkehrland</dt><dd>${escape(s.countryOfReturn || '–')}</dd>
<dt>Situation</dt><dd>${escape(s.situation || '–')}</dd>
<dt>Bedarf</dt><dd>${escape(s.needs || '–')}</dd>
<dt>Bereits besprochen</dt><dd>${escape(s.discussed || '–')}</dd>
<dt>Kontakt</dt><dd>${contact}</dd>
</dl>
</div>
${transcript}
${reported}
<h2>Ergebnis melden</h2>
<form method="post" action="${escape(action)}/outcome">
<input type="hidden" name="form" value="${escape(view.form)}">
<fieldset><legend>Was ist der Stand?</legend>
${options}
</fieldset>
<button type="submit">Ergebnis melden</button>
</form>
<p class="muted">„Abgeschlossen“ und „nicht zuständig“ beenden die Weiterleitung; danach zeigt dieser Link keine Daten mehr.</p>`,
  );
}
