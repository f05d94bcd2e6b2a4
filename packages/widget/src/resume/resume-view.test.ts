import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { FakeSocket } from '../chat/fake-socket.test-util.js';
import { msg, setup, TOKEN } from '../chat/chat-app.test-util.js';
import type { ResumeView } from './resume-view.js';

// The resume view inside the chat: showing and renewing the code, continuing with a code typed
// by keyboard (success, wrong code, too many attempts), and the device that lost the conversation.

function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

async function openResume(el: HTMLElement) {
  const entry = el.shadowRoot!.querySelector<HTMLButtonElement>('[data-entry="resume"]');
  expect(entry, 'the home view offers the resume entry').to.exist;
  entry!.click();
  await waitUntil(() => el.shadowRoot!.querySelector('direturn-resume-view'), 'view not opened');
  const view = el.shadowRoot!.querySelector<ResumeView>('direturn-resume-view')!;
  await waitUntil(() => view.shadowRoot!.querySelector('h2'), 'texts not loaded');
  await waitUntil(() => deepActive()?.tagName === 'H2', 'heading not focused');
  return view;
}

describe('resume view', () => {
  it('asks for a code, shows it in groups of four, and renews it', async () => {
    const { el, socket } = await setup('de', { messages: [msg(1)] });
    const view = await openResume(el);
    const root = view.shadowRoot!;
    const show = [...root.querySelectorAll('button')].find((b) => b.textContent?.includes('Meinen Code zeigen'))!;
    show.click();
    expect(socket.sent.at(-1)).to.deep.equal({ type: 'resume-code' });
    socket.serverSend({ type: 'resume-code', code: 'ABCDEFGHJKMN', createdAt: 1 });
    await waitUntil(() => root.querySelector('[part="code"]'), 'code not shown');
    expect(root.querySelector('[part="code"]')!.textContent).to.equal('ABCD EFGH JKMN');
    await expect(view).to.be.accessible();

    [...root.querySelectorAll('button')].find((b) => b.textContent?.includes('Neuen Code holen'))!.click();
    expect(socket.sent.at(-1)).to.deep.equal({ type: 'resume-code' });
    socket.serverSend({ type: 'resume-code', code: 'PQRSTUVWXYZ2', createdAt: 2 });
    await waitUntil(() => root.querySelector('[part="code"]')!.textContent === 'PQRS TUVW XYZ2');
    expect(root.querySelector('[part="message"]')!.textContent).to.contain('alte Code funktioniert nicht mehr');
  });

  it('continues with a code typed by keyboard: a new hello with the code, then back in the chat', async () => {
    const { el, connection } = await setup('en');
    const view = await openResume(el);
    const root = view.shadowRoot!;
    root.querySelector<HTMLInputElement>('input[name="code"]')!.focus();
    // A wrong shape is caught here, without asking the server.
    await sendKeys({ type: 'abcd efgh' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('[part="message"]')!.textContent!.includes('12 characters'));
    expect(FakeSocket.instances.length).to.equal(1);

    await sendKeys({ type: ' jkmn' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => FakeSocket.instances.length === 2, 'no new socket');
    const second = FakeSocket.last;
    second.serverOpen();
    expect(second.sent[0]).to.include({ type: 'hello', resume: 'ABCDEFGHJKMN', token: TOKEN });
    second.serverSend({
      type: 'welcome',
      token: 'tok_resumed_resumed_resumed_1',
      visitorId: 'v-other',
      conversation: { id: 'c9', status: 'active', language: 'en', lastSeq: 1, agentReadSeq: 0, agentName: 'Lena' },
      messages: [msg(1, { conversationId: 'c9', body: 'from the phone' })],
      agentsOnline: true,
    });
    await waitUntil(() => !el.shadowRoot!.querySelector('direturn-resume-view'), 'view did not close');
    await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'focus did not return to the composer');
    expect(connection.messages.map((m) => m.body)).to.deep.equal(['from the phone']);
    expect(connection.resumeCode?.code).to.equal('ABCDEFGHJKMN');
  });

  it('says when a code opens nothing, and when there were too many attempts', async () => {
    const { el } = await setup('de');
    const view = await openResume(el);
    const root = view.shadowRoot!;
    const submit = async () => {
      root.querySelector<HTMLInputElement>('input[name="code"]')!.value = 'ABCD EFGH JKMN';
      root.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => FakeSocket.last.readyState === 0);
      FakeSocket.last.serverOpen();
    };
    await submit();
    FakeSocket.last.serverSend({ type: 'error', code: 'resume_invalid', message: 'x' });
    await waitUntil(() => root.querySelector('[part="message"]')!.textContent!.includes('öffnet kein Gespräch'));
    expect(root.querySelector('input')!.getAttribute('aria-invalid')).to.equal('true');
    await submit();
    FakeSocket.last.serverSend({ type: 'error', code: 'rate_limited', message: 'x', retryAfterMs: 5 * 60_000 });
    await waitUntil(() => root.querySelector('[part="message"]')!.textContent!.includes('etwa 5 Minuten'));
    // The chat itself shows no error for these.
    expect(el.shadowRoot!.querySelector('[part="error"]')!.textContent).to.equal('');
    await expect(view).to.be.accessible();
  });

  it('forgets the conversation on the device that was left, and says so', async () => {
    const { el, connection, socket } = await setup('de', { messages: [msg(1)] });
    socket.serverSend({ type: 'resumed-elsewhere' });
    await waitUntil(() => el.shadowRoot!.querySelector('#moved'), 'no notice');
    expect(el.shadowRoot!.querySelector('#moved')!.textContent).to.contain('anderen Gerät');
    expect(connection.messages).to.deep.equal([]);
    expect(connection.deleted).to.equal(false);
    expect(connection.movedAway).to.equal(true);
  });
});

describe('browsers that refuse the frame storage', () => {
  it('offer the code right in the notice', async () => {
    const { el } = await setup('de');
    el.storage = { storage: el.storage.storage, persistent: false };
    await el.updateComplete;
    const offer = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="resume-offer"]')!;
    expect(offer.textContent).to.contain('Code holen');
    offer.click();
    await waitUntil(() => el.shadowRoot!.querySelector('direturn-resume-view'));
    const view = el.shadowRoot!.querySelector<ResumeView>('direturn-resume-view')!;
    await waitUntil(() => view.shadowRoot!.querySelector('h2'));
  });
});
