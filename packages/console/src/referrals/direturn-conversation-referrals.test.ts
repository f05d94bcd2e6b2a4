import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { OfficeLookupResponse, ReferralDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { json, stubFetch } from '../test/helpers.js';
import './direturn-conversation-referrals.js';
import type { DireturnConversationReferrals } from './direturn-conversation-referrals.js';
import { postcodeFrom, publishReferral } from './referral-updates.js';

const officeDto = { id: 'o1', name: 'Beratung Mitte', organisation: 'Verein', carrier: 'non_state' as const, address: null, latitude: null, longitude: null, phone: null, email: 'm@example.org', website: null, openingHours: null, languages: ['de'], targetGroups: [], channels: [], note: null, example: false };
const found: OfficeLookupResponse = {
  status: 'found',
  postcode: '10115',
  district: { key: '11000', name: 'Berlin, Stadt', level: 'district' },
  state: { key: '11', name: 'Berlin', level: 'state' },
  match: 'state',
  offices: [{ ...officeDto, distanceKm: 1.2 }],
  attribution: 'GeoNames (geonames.org), CC BY 4.0',
};
const referral = (overrides: Partial<ReferralDto> = {}): ReferralDto => ({
  id: 'r1',
  conversationId: 'c1',
  office: officeDto,
  agentId: 'a1',
  agentName: 'Anna',
  status: 'proposed',
  summary: { language: 'ar', countryOfReturn: 'Irak', situation: 'Familie', needs: '', discussed: '' },
  includeTranscript: false,
  contactKind: null,
  districtKey: '11000',
  linkExpiresAt: null,
  needsAction: false,
  createdAt: 1,
  updatedAt: 2,
  events: [{ status: 'proposed', at: 1, by: 'agent' }],
  ...overrides,
});

describe('<direturn-conversation-referrals>', () => {
  before(() => initI18n('en'));

  it('finds the office for the postcode the visitor wrote and proposes a referral with the summary', async () => {
    const stub = stubFetch((method, url) => {
      if (method === 'GET' && url === '/api/referrals?conversationId=c1') return json(200, { referrals: [] });
      if (method === 'GET' && url.startsWith('/api/public/offices/lookup')) return json(200, found);
      if (method === 'POST' && url === '/api/referrals') return json(201, { referral: referral() });
      return undefined;
    });
    const el = await fixture<DireturnConversationReferrals>(
      html`<direturn-conversation-referrals .api=${new ApiClient({ fetch: stub.fetch })} .conversationId=${'c1'} .language=${'ar'} .postcode=${'10115'} can-refer></direturn-conversation-referrals>`,
    );
    const root = el.shadowRoot!;
    root.querySelector<HTMLButtonElement>('button[part="refer"]')!.click();
    const dialog = root.querySelector('direturn-refer-dialog')!.shadowRoot!;
    await waitUntil(() => dialog.querySelector('[part="results"]'), 'no results');
    expect(stub.calls.find((c) => c.url.startsWith('/api/public/offices/lookup'))!.url).to.equal('/api/public/offices/lookup?postcode=10115&carrier=any');
    expect(dialog.querySelector('dialog')!.open).to.equal(true);
    expect(dialog.querySelector<HTMLInputElement>('input[name="office"]')!.checked).to.equal(true);
    expect(dialog.querySelector<HTMLSelectElement>('select[name="language"]')!.value).to.equal('ar');
    (dialog.querySelector('textarea[name="situation"]') as HTMLTextAreaElement).value = 'Familie';
    (dialog.querySelector('input[name="countryOfReturn"]') as HTMLInputElement).value = 'Irak';
    [...dialog.querySelectorAll('button')].find((b) => b.textContent!.includes('Propose to the visitor'))!.click();
    await waitUntil(() => root.querySelector('[part="list"]'), 'not listed');
    expect(stub.calls.find((c) => c.method === 'POST')!.body).to.deep.equal({
      conversationId: 'c1',
      officeId: 'o1',
      districtKey: '11000',
      summary: { language: 'ar', countryOfReturn: 'Irak', situation: 'Familie', needs: '', discussed: '' },
    });
    expect(dialog.querySelector('dialog')!.open).to.equal(false);
    expect(root.querySelector('[part="list"]')!.textContent).to.contain("Waiting for the visitor's consent");

    // A frame from the socket: the office is not responsible, back to the counsellor.
    publishReferral(referral({ status: 'not_responsible', needsAction: true }));
    await waitUntil(() => root.querySelector('li.action'), 'no action');
    expect(root.querySelector('li.action')!.textContent).to.contain('Find another office');
  });

  it('offers no Refer action to someone who has not taken the conversation, and retries a failed mail', async () => {
    const stub = stubFetch((method, url) => {
      if (method === 'GET' && url === '/api/referrals?conversationId=c1') return json(200, { referrals: [referral({ status: 'failed', needsAction: true })] });
      if (method === 'POST' && url === '/api/referrals/r1/retry') return json(200, { referral: referral({ status: 'consented' }) });
      return undefined;
    });
    const el = await fixture<DireturnConversationReferrals>(html`<direturn-conversation-referrals .api=${new ApiClient({ fetch: stub.fetch })} .conversationId=${'c1'}></direturn-conversation-referrals>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('li'), 'no list');
    expect(root.querySelector('button[part="refer"]')).to.equal(null);
    [...root.querySelectorAll('button')].find((b) => b.textContent!.includes('Send again'))!.click();
    await waitUntil(() => root.querySelector('li')!.textContent!.includes('Consent given'), 'not retried');
  });

  it('prefills the newest postcode a visitor wrote', () => {
    expect(postcodeFrom(['Ich wohne in 80331 München', 'Nein, jetzt 10115', 'Tel 0170 1234567'])).to.equal('10115');
    expect(postcodeFrom(['Preis 12.500 Euro'])).to.equal('');
  });
});
