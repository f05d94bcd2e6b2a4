import type { KbVersionDto } from '@direturn/protocol';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { json, stubFetch } from '../test/helpers.js';
import './direturn-kb-versions.js';
import type { DireturnKbVersions } from './direturn-kb-versions.js';

const v = (version: number, extra: Partial<KbVersionDto> = {}): KbVersionDto => ({
  version,
  title: `عنوان ${version}`,
  summary: 'ملخص',
  body: `نص ${version}`,
  minor: false,
  sourceVersion: 3,
  agentName: 'Lina',
  createdAt: Date.UTC(2026, 11, version, 10),
  ...extra,
});
const VERSIONS = [v(3, { minor: true }), v(2, { agentName: null, sourceVersion: null }), v(1)];

describe('<direturn-kb-versions>', () => {
  before(() => initI18n('de'));

  it('lists a translation’s versions newest first with who, when, minor edits and the source version followed', async () => {
    const stub = stubFetch((method, url) => (method === 'GET' && url === '/api/knowledge/articles/a1/translations/ar/versions' ? json(200, { versions: VERSIONS }) : undefined));
    const el = await fixture<DireturnKbVersions>(html`<direturn-kb-versions .api=${new ApiClient({ fetch: stub.fetch })} .articleId=${'a1'} .language=${'ar'} .latest=${3}></direturn-kb-versions>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelectorAll('li').length === 3, 'versions not listed');
    expect(root.querySelector('summary')!.textContent).to.equal('3 gespeicherte Fassungen');
    const lines = [...root.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(lines[0]).to.contain('Fassung 3').and.contain('Lina').and.contain('kleine Änderung').and.contain('folgt Quellfassung 3');
    expect(lines[1]).to.contain('importiert').and.not.contain('kleine Änderung').and.not.contain('Quellfassung');

    // Loading an earlier version hands its text to the editor.
    setTimeout(() => root.querySelectorAll<HTMLButtonElement>('li button')[1]!.click());
    const ev = await oneEvent(el, 'direturn-kb-version-load');
    expect(ev.detail).to.deep.equal({ version: 2, title: 'عنوان 2', summary: 'ملخص', body: 'نص 2' });

    // A new save (latest changes) reloads the list.
    el.latest = 4;
    await waitUntil(() => stub.calls.length === 2, 'not reloaded');
    await expect(el).to.be.accessible();
  });

  it('shows nothing for a translation that does not exist yet, and says so when loading fails', async () => {
    const stub = stubFetch(() => json(500, { error: { code: 'internal', message: 'x' } }));
    const none = await fixture<DireturnKbVersions>(html`<direturn-kb-versions .api=${new ApiClient({ fetch: stub.fetch })} .articleId=${'a1'} .language=${'fa'} .latest=${0}></direturn-kb-versions>`);
    expect(stub.calls).to.have.length(0);
    expect(none.shadowRoot!.textContent!.trim()).to.equal('');
    none.latest = 1;
    await waitUntil(() => none.shadowRoot!.querySelector('[role="alert"]'), 'no error shown');
    expect(none.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.equal('Die Fassungen konnten nicht geladen werden.');
  });
});
