import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LanguageCode, VisitorReferralDto } from '@direturn/protocol';
import { initI18n } from '../i18n/i18n.js';
import { VisitorConnection } from '../chat/connection.js';
import { FakeSocket, ManualTimers, MemoryStorage } from '../chat/fake-socket.test-util.js';
import '../chat/chat-app.js';
import type { ChatApp } from '../chat/chat-app.js';
import { DiReturnOpenOfficesEvent } from '../events/direturn-offices.js';

const referral = (overrides: Partial<VisitorReferralDto> = {}): VisitorReferralDto => ({
  id: '00000000-0000-4000-8000-0000000000aa',
  office: {
    id: 'o1',
    name: 'Rückkehrberatung Mitte',
    organisation: 'Verein e. V.',
    carrier: 'non_state',
    address: { street: 'Weg 1', postalCode: '10115', city: 'Berlin' },
    latitude: null,
    longitude: null,
    phone: '+49 30 1234567',
    email: 'mitte@example.org',
    website: null,
    openingHours: null,
    languages: ['de', 'ar'],
    targetGroups: [],
    channels: [],
    note: null,
    example: false,
  },
  status: 'proposed',
  summary: { language: 'ar', countryOfReturn: 'Irak', situation: 'Familie mit zwei Kindern', needs: 'Reisekosten', discussed: '' },
  includeTranscript: false,
  contactKind: null,
  canWithdraw: false,
  createdAt: 1,
  updatedAt: 1,
  ...overrides,
});

async function setup(lang: LanguageCode) {
  await initI18n(lang);
  FakeSocket.reset();
  const connection = new VisitorConnection({
    url: 'ws://test/ws/visitor',
    site: 's1',
    origin: 'https://partner.example',
    language: lang,
    WebSocket: FakeSocket,
    storage: new MemoryStorage(),
    timers: new ManualTimers(),
    onlineTarget: null,
  });
  const el = await fixture<ChatApp>(html`<direturn-chat-app site="s1" .connection=${connection}></direturn-chat-app>`);
  connection.connect();
  const socket = FakeSocket.last;
  socket.serverOpen();
  socket.serverSend({ type: 'welcome', token: 'tok_abcdefghijklmnopqrstuvwxyz', visitorId: 'v1', conversation: { id: 'c1', status: 'active', language: lang, lastSeq: 1, agentReadSeq: 0, agentName: 'Lena' }, messages: [], agentsOnline: true });
  await el.updateComplete;
  return { el, socket, connection };
}

const consentView = (el: ChatApp) => el.shadowRoot!.querySelector('direturn-referral-consent');

describe('referral consent in the chat', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
    document.documentElement.dir = 'ltr';
  });

  it('shows exactly what would be shared with which office, and sends the consent with a contact only for that office', async () => {
    const { el, socket } = await setup('en');
    socket.serverSend({ type: 'referrals', referrals: [referral()] });
    await waitUntil(() => consentView(el)?.shadowRoot?.querySelector('form'), 'no consent view');
    const view = consentView(el)!.shadowRoot!;
    expect(view.textContent).to.contain('Rückkehrberatung Mitte');
    expect(view.querySelector('.shared')!.textContent).to.contain('Familie mit zwei Kindern');
    expect(view.querySelector('.shared')!.textContent).to.contain('Irak');
    // announced, not focused: the visitor may be typing
    await waitUntil(() => el.shadowRoot!.querySelector('[role="status"][aria-live]')!.textContent!.includes('Your counsellor suggests'), 'not announced');

    view.querySelector<HTMLInputElement>('input[name="kind"][value="phone"]')!.click();
    await consentView(el)!.updateComplete;
    view.querySelector<HTMLInputElement>('input[name="contact"]')!.value = 'not a number';
    [...view.querySelectorAll('button')].find((b) => b.textContent!.includes('Yes, pass it on'))!.click();
    await consentView(el)!.updateComplete;
    expect(view.querySelector('[role="alert"]')!.textContent).to.contain('Please enter a phone number');
    expect(socket.sentOfType('referral')).to.deep.equal([]);

    view.querySelector<HTMLInputElement>('input[name="contact"]')!.value = '+49 170 5550199';
    view.querySelector<HTMLInputElement>('input[name="transcript"]')!.checked = true;
    [...view.querySelectorAll('button')].find((b) => b.textContent!.includes('Yes, pass it on'))!.click();
    expect(socket.sentOfType('referral')).to.deep.equal([
      { type: 'referral', referralId: referral().id, answer: 'consent', includeTranscript: true, contact: { kind: 'phone', value: '+49 170 5550199' } },
    ]);
    await expect(el).to.be.accessible();

    // The server's answer: sent; the visitor may take the consent back until the office opens it.
    socket.serverSend({ type: 'referrals', referrals: [referral({ status: 'sent', canWithdraw: true, contactKind: 'phone' })] });
    await waitUntil(() => view.querySelector('[part="status"]')?.textContent?.includes('sent to the office'), 'no status');
    [...view.querySelectorAll('button')].find((b) => b.textContent!.includes('Take back my consent'))!.click();
    expect(socket.sentOfType('referral').at(-1)).to.deep.equal({ type: 'referral', referralId: referral().id, answer: 'withdraw', includeTranscript: false, contact: null });
    socket.serverSend({ type: 'referrals', referrals: [referral({ status: 'received', canWithdraw: false })] });
    await waitUntil(() => view.querySelector('[part="status"]')?.textContent?.includes('the office has received your request'), 'not received');
    expect([...view.querySelectorAll('button')].some((b) => b.textContent!.includes('Take back'))).to.equal(false);
  });

  it('declines in Persian, right to left, and nothing else is sent', async () => {
    const { el, socket } = await setup('fa');
    socket.serverSend({ type: 'referrals', referrals: [referral()] });
    await waitUntil(() => consentView(el)?.shadowRoot?.querySelector('form'), 'no consent view');
    const view = consentView(el)!.shadowRoot!;
    expect(getComputedStyle(view.querySelector('h2')!).direction).to.equal('rtl');
    [...view.querySelectorAll('button')].find((b) => b.textContent!.includes('نه، ممنون'))!.click();
    expect(socket.sentOfType('referral')).to.deep.equal([{ type: 'referral', referralId: referral().id, answer: 'decline', includeTranscript: false, contact: null }]);
    await expect(el).to.be.accessible();
  });

  it('opens the office search from its home entry and from any view that asks for it, Escape goes back', async () => {
    const { el } = await setup('de');
    const link = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="entry"][data-entry="offices"]')!;
    expect(link.textContent).to.equal('Meine Beratungsstelle finden');
    link.click();
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-office-search')?.shadowRoot?.querySelector('h2'), 'no search');
    const search = el.shadowRoot!.querySelector('direturn-office-search')!;
    await waitUntil(() => search.shadowRoot!.activeElement?.tagName === 'H2', 'heading not focused');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await waitUntil(() => !el.shadowRoot!.querySelector('direturn-office-search'), 'not closed');
    el.shadowRoot!.querySelector('direturn-chat-messages')!.dispatchEvent(new DiReturnOpenOfficesEvent());
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-office-search'), 'event did not open it');
  });
});
