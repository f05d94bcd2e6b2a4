import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ColleagueDto, NoteDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { agent, conversation, json, stubFetch } from '../test/helpers.js';
import './direturn-conversation-work.js';
import type { DireturnConversationWork } from './direturn-conversation-work.js';
import type { DireturnHandoverDialog, HandedOverEvent } from './direturn-handover-dialog.js';

const note = (overrides: Partial<NoteDto> = {}): NoteDto => ({
  id: 'n1',
  conversationId: 'c1',
  kind: 'note',
  internal: true,
  body: 'Hat Angst vor der Ausländerbehörde',
  agentId: 'a1',
  agentName: 'Anna',
  toAgentId: null,
  toAgentName: null,
  afterSeq: 2,
  createdAt: 1_700_000_000_000,
  ...overrides,
});
const colleague = (overrides: Partial<ColleagueDto>): ColleagueDto => ({ id: 'b1', name: 'Bilal', languages: ['ps'], availability: 'available', online: true, holding: 0, maxParallel: 5, ...overrides });

function server(notes: NoteDto[]) {
  return stubFetch((method, url, body) => {
    if (method === 'GET' && url === '/api/conversations/c1/notes') return json(200, { notes });
    if (method === 'GET' && url === '/api/topics') return json(200, { topics: [{ id: 't1', key: 'health', label: null, archived: false }] });
    if (method === 'POST' && url === '/api/conversations/c1/notes') return json(201, { note: note({ id: 'n2', body: (body as { body: string }).body }) });
    if (method === 'GET' && url === '/api/colleagues')
      return json(200, { colleagues: [colleague({}), colleague({ id: 'c2', name: 'Cem', languages: ['de'], online: false }), colleague({ id: 'a1', name: 'Anna' })] });
    if (method === 'POST' && url === '/api/conversations/c1/transfer') return json(200, { conversation: conversation({ agentId: 'b1', agentName: 'Bilal' }) });
    return undefined;
  });
}

describe('<direturn-conversation-work>', () => {
  before(() => initI18n('en'));

  it('shows internal notes apart, lets the holder add one and hand the conversation over with a note', async () => {
    const stub = server([note(), note({ id: 'h1', kind: 'handover', body: '', agentName: 'Cem', toAgentId: 'a1', toAgentName: 'Anna' })]);
    const el = await fixture<DireturnConversationWork>(
      html`<direturn-conversation-work .api=${new ApiClient({ fetch: stub.fetch })} .me=${agent} .conversation=${conversation({ status: 'active', agentId: 'a1', language: 'ps' })}></direturn-conversation-work>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part="note"]').length === 2);
    const root = el.shadowRoot!;
    expect(root.querySelector('.internal')!.textContent).to.contain('never sent to the person');
    expect(root.querySelector('[data-kind="handover"]')!.textContent).to.contain('Cem handed over to Anna');
    // Topics are offered to the holder, built-in ones translated.
    expect(root.querySelector('[part="topics"]')!.textContent).to.contain('Health');
    await expect(el).to.be.accessible();

    const textarea = root.querySelector<HTMLTextAreaElement>('#note')!;
    textarea.value = 'Pass läuft ab';
    textarea.dispatchEvent(new Event('input'));
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('form[part="composer"] button[type="submit"]')!.click();
    await waitUntil(() => root.querySelectorAll('[part="note"]').length === 3);
    expect(stub.calls.find((c) => c.method === 'POST')!.body).to.deep.equal({ body: 'Pass läuft ab' });

    // Handover: colleagues who speak the language first, the offline one and the holder not offered.
    root.querySelector<HTMLButtonElement>('header button')!.click();
    const dialog = root.querySelector<DireturnHandoverDialog>('direturn-handover-dialog')!;
    await waitUntil(() => dialog.shadowRoot!.querySelectorAll('option').length === 3);
    const options = [...dialog.shadowRoot!.querySelectorAll<HTMLOptionElement>('option')].slice(1);
    expect(options.map((o) => [o.value, o.disabled])).to.deep.equal([
      ['b1', false],
      ['c2', true],
    ]);
    await expect(dialog).to.be.accessible();
    const noteField = dialog.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
    noteField.value = 'Spricht Paschtu';
    noteField.dispatchEvent(new Event('input'));
    await dialog.updateComplete;
    const moved = oneEvent(el, 'direturn-handed-over') as Promise<HandedOverEvent>;
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect((await moved).conversation.agentId).to.equal('b1');
    expect(stub.calls.find((c) => c.url.endsWith('/transfer'))!.body).to.deep.equal({ to: { kind: 'agent', agentId: 'b1' }, note: 'Spricht Paschtu' });
  });

  it('offers no writing to someone who does not hold the conversation (an admin looking in)', async () => {
    const stub = server([note()]);
    const el = await fixture<DireturnConversationWork>(
      html`<direturn-conversation-work .api=${new ApiClient({ fetch: stub.fetch })} .me=${{ ...agent, id: 'admin', role: 'admin' }} .conversation=${conversation({ status: 'active', agentId: 'a1' })}></direturn-conversation-work>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part="note"]').length === 1);
    expect(el.shadowRoot!.querySelector('form[part="composer"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('header button')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="topics"]')).to.equal(null);
  });
});
