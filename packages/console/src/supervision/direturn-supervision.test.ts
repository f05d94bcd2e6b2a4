import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { SupervisionResponse } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import '../availability/direturn-availability-toggle.js';
import type { DireturnAvailabilityToggle } from '../availability/direturn-availability-toggle.js';
import '../search/direturn-conversation-search.js';
import type { DireturnConversationSearch } from '../search/direturn-conversation-search.js';
import { initI18n } from '../i18n/i18n.js';
import { conversation, json, stubFetch } from '../test/helpers.js';
import './direturn-supervision.js';
import type { DireturnSupervision } from './direturn-supervision.js';

const supervision: SupervisionResponse = {
  conversations: [
    { id: 'c1', pseudonym: 'Mika 27', status: 'active', language: 'ps', siteName: 'Partner', agentId: 'b1', agentName: 'Bilal', agentAvailable: false, since: Date.now() - 600_000, lastMessageAt: null, unread: 2 },
    { id: 'c2', pseudonym: 'Lobe 11', status: 'waiting', language: 'de', siteName: 'Partner', agentId: null, agentName: null, agentAvailable: false, since: Date.now(), lastMessageAt: null, unread: 1 },
  ],
  colleagues: [{ id: 'b1', name: 'Bilal', languages: ['ps'], availability: 'away', online: false, holding: 1, maxParallel: 5 }],
};

describe('counsellor work screens', () => {
  before(() => initI18n('en'));

  it('<direturn-supervision> shows who holds what since when, marks conversations whose holder is away, and offers reassignment', async () => {
    const stub = stubFetch((method, url) => (method === 'GET' && url === '/api/supervision' ? json(200, supervision) : undefined));
    const el = await fixture<DireturnSupervision>(html`<direturn-supervision .api=${new ApiClient({ fetch: stub.fetch })} .meId=${'admin'}></direturn-supervision>`);
    await waitUntil(() => el.shadowRoot!.querySelectorAll('table[part="conversations"] tbody tr').length === 2);
    const rows = [...el.shadowRoot!.querySelectorAll('table[part="conversations"] tbody tr')];
    expect(rows[0]!.hasAttribute('data-stuck')).to.equal(true);
    expect(rows[0]!.textContent).to.contain('Bilal').and.contain('away or offline').and.contain('Mika 27');
    expect(rows[1]!.hasAttribute('data-stuck')).to.equal(false);
    expect(el.shadowRoot!.querySelector('table[part="colleagues"]')!.textContent).to.contain('Offline').and.contain('1 of 5 conversations');
    await expect(el).to.be.accessible();
  });

  it('<direturn-availability-toggle> shows and switches the availability', async () => {
    const stub = stubFetch((method, url, body) => {
      if (url !== '/api/availability') return undefined;
      const availability = method === 'PUT' ? (body as { availability: string }).availability : 'available';
      return json(200, { availability: { agentId: 'a1', availability, since: 1, maxParallel: 5, holding: 2 } });
    });
    const el = await fixture<DireturnAvailabilityToggle>(html`<direturn-availability-toggle .api=${new ApiClient({ fetch: stub.fetch })}></direturn-availability-toggle>`);
    await waitUntil(() => stub.calls.length === 1);
    const button = el.shadowRoot!.querySelector('button')!;
    button.click();
    await waitUntil(() => el.availability === 'away');
    expect(el.getAttribute('availability')).to.equal('away');
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(stub.calls[1]!.body).to.deep.equal({ availability: 'away' });
    await expect(el).to.be.accessible();
  });

  it('<direturn-conversation-search> sends the filters and lists what it found', async () => {
    const stub = stubFetch((method, url) => {
      if (url === '/api/topics') return json(200, { topics: [{ id: 't1', key: 'family', label: null, archived: false }] });
      if (url.startsWith('/api/conversations/search')) return json(200, { conversations: [conversation({ id: 'c9', status: 'closed', pseudonym: 'Tavi 42', topicIds: ['t1'] })], nextBefore: null });
      return undefined;
    });
    const el = await fixture<DireturnConversationSearch>(html`<direturn-conversation-search .api=${new ApiClient({ fetch: stub.fetch })}></direturn-conversation-search>`);
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part="results"] li').length === 1);
    const status = el.shadowRoot!.querySelector('select')!;
    status.value = 'closed';
    status.dispatchEvent(new Event('change'));
    el.shadowRoot!.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await waitUntil(() => stub.calls.some((c) => c.url.includes('status=closed')));
    expect(el.shadowRoot!.querySelector('[part="results"]')!.textContent).to.contain('Tavi 42').and.contain('Family').and.contain('Closed');
    await expect(el).to.be.accessible();
  });
});
