import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { VisitorCallbackDto } from '@direturn/protocol';
import { setup } from '../chat/chat-app.test-util.js';
import type { FakeSocket } from '../chat/fake-socket.test-util.js';
import type { CallbackView } from './callback-view.js';

// The callback view inside the chat: loaded when opened (with the phone rules), the form by
// keyboard, every wrong field told where it is, the request over the socket, then received and
// handled as the server reports it; right to left and at 320 px.

function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

const phoneRulesLoaded = () => performance.getEntriesByType('resource').some((e) => e.name.includes('libphonenumber'));

async function openCallback(el: HTMLElement) {
  const entry = el.shadowRoot!.querySelector<HTMLButtonElement>('[data-entry="callback"]');
  expect(entry, 'the home view offers the callback entry').to.exist;
  entry!.click();
  // The first time, the dev server transforms the chunk and the phone metadata: give it time.
  await waitUntil(() => el.shadowRoot!.querySelector('direturn-callback-view'), 'view not opened', { timeout: 15_000 });
  const view = el.shadowRoot!.querySelector<CallbackView>('direturn-callback-view')!;
  await waitUntil(() => view.shadowRoot!.querySelector('h2'), 'texts not loaded', { timeout: 5000 });
  await waitUntil(() => deepActive()?.tagName === 'H2', 'heading not focused');
  return view;
}

function callbackFrame(over: Partial<VisitorCallbackDto> = {}): { type: 'callbacks'; callbacks: VisitorCallbackDto[] } {
  const start = Date.UTC(2030, 0, 7, 9);
  return {
    type: 'callbacks',
    callbacks: [
      { id: 'cb1', status: 'waiting', outcome: null, attempts: 0, language: 'ar', windows: [{ start, end: start + 2 * 3_600_000 }], timeZone: 'Europe/Berlin', createdAt: start - 86_400_000, handledAt: null, callsFrom: null, ...over },
    ],
  };
}

const lastSent = (socket: FakeSocket) => socket.sent.at(-1) as Record<string, unknown>;

describe('callback view', function (this: { timeout(ms: number): void }) {
  this.timeout(20_000);
  it('loads with its phone rules only when opened, speaks Arabic right to left and is accessible', async () => {
    const { el } = await setup('ar');
    expect(phoneRulesLoaded(), 'the open chat carries no phone rules').to.equal(false);
    const view = await openCallback(el);
    expect(phoneRulesLoaded(), 'opening the view loads them').to.equal(true);
    expect(document.documentElement.dir).to.equal('rtl');
    const root = view.shadowRoot!;
    expect(root.querySelector('h2')!.textContent).to.equal('اطلب أن نتصل بك');
    expect(root.querySelector<HTMLSelectElement>('select[name="country"]')!.value).to.equal('DE');
    // The call's language follows the chat's until chosen; other languages come named in Arabic.
    const language = root.querySelector<HTMLSelectElement>('select[name="language"]')!;
    expect(language.value).to.equal('ar');
    expect(language.querySelector('option[value="ti"]')!.textContent).to.not.equal('ti');
    // Numbers are written left to right inside the right-to-left form.
    expect(root.querySelector('input[name="number"]')!.getAttribute('dir')).to.equal('ltr');
    await expect(view).to.be.accessible();
  });

  it('tells every wrong field where it is, focuses the first, and sends nothing', async () => {
    const { el, socket } = await setup('en');
    const view = await openCallback(el);
    const root = view.shadowRoot!;
    const before = socket.sent.length;
    // A window that is over: yesterday.
    const yesterday = new Date(Date.now() - 86_400_000);
    const day = root.querySelector<HTMLInputElement>('#w0-date')!;
    day.value = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`;
    day.dispatchEvent(new Event('input'));
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelectorAll('[aria-invalid="true"]').length > 0, 'no field marked');
    const errors = [...root.querySelectorAll('[part="error"]')].map((e) => e.textContent!.trim()).filter(Boolean);
    expect(errors).to.deep.equal(['Please enter your phone number.', 'This time is already over.', 'Please agree that we may call you.']);
    expect(deepActive()).to.equal(root.querySelector('input[name="number"]'));
    const number = root.querySelector('input[name="number"]')!;
    expect(number.getAttribute('aria-describedby')).to.contain('number-error');
    await waitUntil(() => root.querySelector('.sr-only[role="status"]')!.textContent === 'Please check the marked fields.', 'not announced');
    expect(socket.sent.length).to.equal(before);

    // A number the rules know is not one: letters.
    await sendKeys({ type: 'call me' });
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('#number-error')!.textContent!.includes('not a phone number'), 'letters accepted');
    await expect(view).to.be.accessible();
  });

  it('sends the request by keyboard, then shows it received, tried and handled', async () => {
    const { el, socket } = await setup('de');
    const view = await openCallback(el);
    const root = view.shadowRoot!;
    root.querySelector<HTMLInputElement>('input[name="number"]')!.focus();
    await sendKeys({ type: '0170 5550199' });
    const language = root.querySelector<HTMLSelectElement>('select[name="language"]')!;
    language.value = 'ti';
    language.dispatchEvent(new Event('change'));
    root.querySelector<HTMLTextAreaElement>('textarea[name="topic"]')!.focus();
    await sendKeys({ type: 'Rückreise' });
    root.querySelector<HTMLInputElement>('input[name="consent"]')!.focus();
    await sendKeys({ press: 'Space' });
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => lastSent(socket)['type'] === 'callback', 'nothing sent');
    const sent = lastSent(socket);
    expect(sent).to.deep.include({ phone: { country: 'DE', number: '0170 5550199' }, language: 'ti', topic: 'Rückreise', consent: true, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    const windows = sent['windows'] as Array<{ start: string; end: string }>;
    expect(windows).to.have.length(1);
    expect(Date.parse(windows[0]!.end) - Date.parse(windows[0]!.start)).to.equal(2 * 3_600_000);
    expect(root.querySelector('button[type="submit"]')!.hasAttribute('disabled')).to.equal(true);

    socket.serverSend(callbackFrame({ language: 'ti' }));
    await waitUntil(() => root.querySelector('[part="status"]'), 'no status');
    const status = root.querySelector('[part="status"]')!;
    expect(status.querySelector('h3')!.textContent).to.equal('Wir haben Ihre Anfrage erhalten');
    // The window in the visitor's time zone, the language by its name.
    expect(status.textContent).to.contain('7. Januar');
    expect(status.textContent).to.contain('10:00');
    expect(status.textContent).to.match(/Tigrinya/);
    await waitUntil(() => deepActive() === status.querySelector('h3'), 'status not focused');

    socket.serverSend(callbackFrame({ status: 'waiting', attempts: 1 }));
    await waitUntil(() => root.querySelector('[part="status"]')!.textContent!.includes('nicht erreicht'), 'attempt not shown');

    socket.serverSend(callbackFrame({ status: 'closed', outcome: 'reached', attempts: 1, handledAt: Date.UTC(2030, 0, 7, 9, 30) }));
    await waitUntil(() => root.querySelector('[part="status"] h3')!.textContent === 'Ihr Rückruf', 'not handled');
    expect(root.querySelector('[part="status"]')!.textContent).to.contain('Wir haben telefoniert.');
    expect(root.querySelector('[part="status"]')!.textContent).to.contain('Ihre Telefonnummer wurde gelöscht.');
    // Asking again opens an empty form.
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Neuen Rückruf anfordern')!.click();
    await waitUntil(() => root.querySelector('form'), 'no form');
    expect(root.querySelector<HTMLInputElement>('input[name="number"]')!.value).to.equal('');
  });

  it("shows the server's verdict on a field, and when calls happen outside opening hours", async () => {
    const { el, socket } = await setup('en');
    const view = await openCallback(el);
    const root = view.shadowRoot!;
    root.querySelector<HTMLInputElement>('input[name="number"]')!.focus();
    // Long enough for the widget's length check; the server knows no such number.
    await sendKeys({ type: '0170 555' });
    root.querySelector<HTMLInputElement>('input[name="consent"]')!.click();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => lastSent(socket)['type'] === 'callback', 'nothing sent');
    socket.serverSend({ type: 'error', code: 'callback_invalid', message: 'Some fields of the callback request are not right.', ref: lastSent(socket)['requestId'], issues: ['phone: phone_invalid'] });
    await waitUntil(() => root.querySelector('#number-error')!.textContent!.includes('not a phone number'), 'server issue not shown');
    expect(root.querySelector('input[name="number"]')!.getAttribute('aria-invalid')).to.equal('true');

    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => socket.sentOfType('callback').length === 2, 'not sent again');
    socket.serverSend(callbackFrame({ callsFrom: Date.UTC(2030, 0, 8, 8) }));
    await waitUntil(() => root.querySelector('.hours'), 'opening hours not told');
    expect(root.querySelector('.hours')!.textContent).to.contain('We call during our opening hours. Open again:');
  });

  it('says so when offline, and fits 320 px without scrolling sideways', async () => {
    const { el, socket } = await setup('fa', { style: 'display:block;width:320px' });
    const view = await openCallback(el);
    const root = view.shadowRoot!;
    [...root.querySelectorAll<HTMLButtonElement>('.add-window')][0]!.click();
    await waitUntil(() => root.querySelectorAll('.window').length === 2);
    expect(view.scrollWidth).to.be.at.most(view.clientWidth + 1);
    socket.serverDrop(1006);
    root.querySelector<HTMLInputElement>('input[name="number"]')!.focus();
    await sendKeys({ type: '0170 5550199' });
    root.querySelector<HTMLInputElement>('input[name="consent"]')!.click();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => root.querySelector('.message')!.textContent!.length > 0, 'offline not told');
    expect(root.querySelector('.message')!.textContent).to.equal('اتصال برقرار نیست. لطفاً وقتی گفت‌وگو دوباره وصل شد، دوباره امتحان کنید.');
  });
});
