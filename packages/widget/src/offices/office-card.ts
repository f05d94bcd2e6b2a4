import { html, nothing } from 'lit';
import type { OfficeDto } from '@direturn/protocol';
import type { Translate } from '../i18n/i18n.js';

/** Language names in the visitor's language ("Arabisch", "Arapça" …); the code when the browser has none. */
export function languageNames(codes: readonly string[], uiLanguage: string): string {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([uiLanguage], { type: 'language' });
  } catch {
    names = undefined;
  }
  return codes.map((c) => names?.of(c) ?? c).join(', ');
}

/** A map search for the address (the visitor's browser opens it; nothing is sent from here). */
export const mapLink = (o: OfficeDto): string | null =>
  o.address ? `https://www.openstreetmap.org/search?query=${encodeURIComponent(`${o.address.street}, ${o.address.postalCode} ${o.address.city}`)}` : null;

/**
 * One office with every way to reach it: tap to call, e-mail, map, website; opening hours,
 * languages, how it can be reached, its note. Example offices are marked, and their placeholder
 * numbers are not offered for calling.
 */
export function officeCard(o: OfficeDto & { distanceKm?: number | null }, t: Translate, uiLanguage: string) {
  const map = mapLink(o);
  const phoneHref = o.phone && !o.example ? `tel:${o.phone.replace(/[^\d+]/g, '')}` : null;
  return html`<article class="card" part="office">
    <h3 dir="auto">${o.name}</h3>
    <div class="meta">
      <span dir="auto">${o.organisation}</span> · ${t(`officeSearch.carrier.${o.carrier}`)}${o.distanceKm !== undefined && o.distanceKm !== null
        ? html` · ${t('officeSearch.distance', { km: o.distanceKm })}`
        : nothing}
    </div>
    ${o.example ? html`<p class="badge">${t('officeSearch.example')}</p>` : nothing}
    <dl>
      ${o.address
        ? html`<dt>${t('officeSearch.address')}</dt>
            <dd dir="auto">${o.address.street}${o.address.street ? html`<br />` : nothing}${o.address.postalCode} ${o.address.city}</dd>`
        : nothing}
      ${o.phone ? html`<dt>${t('officeSearch.phone')}</dt><dd dir="ltr">${o.phone}</dd>` : nothing}
      ${o.email ? html`<dt>${t('officeSearch.email')}</dt><dd dir="ltr">${o.email}</dd>` : nothing}
      ${o.openingHours ? html`<dt>${t('officeSearch.hours')}</dt><dd dir="auto">${o.openingHours}</dd>` : nothing}
      ${o.languages.length ? html`<dt>${t('officeSearch.languages')}</dt><dd>${languageNames(o.languages, uiLanguage)}</dd>` : nothing}
      ${o.channels.length ? html`<dt>${t('officeSearch.channels')}</dt><dd>${o.channels.map((c) => t(`officeSearch.channel.${c}`)).join(', ')}</dd>` : nothing}
      ${o.targetGroups.length ? html`<dt>${t('officeSearch.targetGroups')}</dt><dd dir="auto">${o.targetGroups.join(', ')}</dd>` : nothing}
      ${o.note ? html`<dt>${t('officeSearch.note')}</dt><dd dir="auto">${o.note}</dd>` : nothing}
    </dl>
    <div class="actions">
      ${phoneHref ? html`<a href=${phoneHref}>${t('officeSearch.call')}</a>` : nothing}
      ${o.email ? html`<a href=${`mailto:${o.email}`}>${t('officeSearch.write')}</a>` : nothing}
      ${map ? html`<a href=${map} target="_blank" rel="noopener noreferrer">${t('officeSearch.map')}</a>` : nothing}
      ${o.website ? html`<a href=${o.website} target="_blank" rel="noopener noreferrer">${t('officeSearch.website')}</a>` : nothing}
    </div>
  </article>`;
}
