import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { AgentDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { ConsoleStore } from '../app/console-store.js';
import { initI18n } from '../i18n/i18n.js';
import { AgentSocket } from '../realtime/agent-socket.js';
import { MemoryStorage } from '../test/memory-storage.js';
import { agent, conversation, fakeWebSocketClass, json, message, stubFetch } from '../test/helpers.js';
import './direturn-notify-settings.js';
import type { DireturnNotifySettings } from './direturn-notify-settings.js';
import { WorkNotifier, type NotificationConstructorLike, type NotificationLike, type NotifyEnvironment } from './work-notifier.js';

/** A Notification API the test controls: what was shown, which permission the "browser" gives. */
function fakeNotifications(answer: NotificationPermission) {
  const shown: { title: string; options: NotificationOptions | undefined; closed: boolean; n: NotificationLike }[] = [];
  class FakeNotification implements NotificationLike {
    static permission: NotificationPermission = 'default';
    static async requestPermission(): Promise<NotificationPermission> {
      FakeNotification.permission = answer;
      return answer;
    }
    onclick: ((ev: Event) => unknown) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options, closed: false, n: this });
    }
    close(): void {
      const entry = shown.find((s) => s.n === this);
      if (entry) entry.closed = true;
    }
  }
  return { N: FakeNotification as unknown as NotificationConstructorLike & { permission: NotificationPermission }, shown };
}

const mine = conversation({ id: 'c1', status: 'active', agentId: agent.id, agentName: agent.name, claimedAt: Date.now(), unread: 0, siteName: 'Caritas Süd' });

async function setup(answer: NotificationPermission = 'granted', attentive = false) {
  const notes = fakeNotifications(answer);
  let title = 'DiReturn Console';
  let sounds = 0;
  let focused = 0;
  const env: NotifyEnvironment = {
    Notification: notes.N,
    playSound: () => void sounds++,
    storage: new MemoryStorage(),
    attentive: () => attentive,
    title: { get: () => title, set: (v) => void (title = v) },
    focusWindow: () => void focused++,
  };
  const stub = stubFetch((_m, url) => {
    if (url === '/api/conversations?status=waiting') return json(200, { conversations: [conversation({ id: 'c2' })] });
    if (url === '/api/conversations?status=mine') return json(200, { conversations: [mine] });
    if (url === '/api/conversations/c1') return json(200, { conversation: mine, messages: [message()] });
    return undefined;
  });
  const WS = fakeWebSocketClass();
  const session = { agent: agent as AgentDto | null, phase: 'workspace' as const, handle: () => false, verify: async () => {}, ended: () => {}, enrol: () => {} };
  const api = new ApiClient({ fetch: stub.fetch });
  const store = new ConsoleStore(() => api, () => new AgentSocket({ url: 'ws://t/ws/agent', WebSocket: WS, baseDelayMs: 10_000 }), session, {
    rendered: () => Promise.resolve(),
    focusComposer: async () => {},
    opened: () => {},
  });
  const notifier = new WorkNotifier(env);
  notifier.attach(store, agent.id);
  await store.start();
  const ws = WS.instances[0]!;
  ws.serverOpen();
  ws.serverSend({ type: 'ready', agent });
  return { notifier, store, ws, notes, env, title: () => title, sounds: () => sounds, focused: () => focused };
}

describe('WorkNotifier', () => {
  before(() => initI18n('en'));

  it('counts waiting conversations and unread messages in the tab title, and restores it on detach', async () => {
    const { ws, notifier, title } = await setup();
    expect(title()).to.equal('(1) DiReturn Console');
    ws.serverSend({ type: 'conversation', conversation: conversation({ id: 'c3' }) });
    ws.serverSend({ type: 'message', message: message({ id: 'x1', conversationId: 'c1', seq: 2 }) });
    expect(title()).to.equal('(3) DiReturn Console');
    notifier.detach();
    expect(title()).to.equal('DiReturn Console');
  });

  it('shows nothing on the desktop until the counsellor turns it on and the browser allows it', async () => {
    const { ws, notifier, notes } = await setup('granted');
    ws.serverSend({ type: 'conversation', conversation: conversation({ id: 'c3' }) });
    expect(notes.shown).to.have.length(0);
    const settings = await notifier.update({ desktop: true });
    expect(settings.desktop).to.equal(true);
    ws.serverSend({ type: 'conversation', conversation: conversation({ id: 'c4', siteName: 'Beratung Ost', firstMessage: 'Geheimnis' }) });
    expect(notes.shown).to.have.length(1);
    expect(notes.shown[0]!.title).to.equal('Someone is waiting for counselling');
    // where, never what: the visitor's words stay out unless chosen
    expect(notes.shown[0]!.options!.body).to.equal('Beratung Ost · العربية');
    expect(notes.shown[0]!.options!.body).to.not.contain('Geheimnis');
  });

  it('puts the message text in only when the counsellor chose it', async () => {
    const { ws, notifier, notes } = await setup('granted');
    await notifier.update({ desktop: true });
    ws.serverSend({ type: 'message', message: message({ id: 'x1', conversationId: 'c1', seq: 2, body: 'Mein Pass ist weg' }) });
    expect(notes.shown.at(-1)!.title).to.equal('New message');
    expect(notes.shown.at(-1)!.options!.body).to.equal('Caritas Süd · العربية');
    await notifier.update({ showText: true });
    ws.serverSend({ type: 'message', message: message({ id: 'x2', conversationId: 'c1', seq: 3, body: 'Mein Pass ist weg' }) });
    expect(notes.shown.at(-1)!.options!.body).to.equal('Caritas Süd · العربية\nMein Pass ist weg');
    // one notification per conversation: the older one is replaced
    expect(notes.shown.filter((s) => !s.closed)).to.have.length(1);
  });

  it('stays off when the browser refuses, and remembers the settings per counsellor', async () => {
    const { notifier, env } = await setup('denied');
    const settings = await notifier.update({ desktop: true, sound: true });
    expect(settings).to.deep.equal({ desktop: false, showText: false, sound: true });
    expect(JSON.parse(env.storage!.getItem(`direturn:console:notify:${agent.id}`)!)).to.deep.equal({ desktop: false, showText: false, sound: true });
  });

  it('plays the sound when chosen, and stays quiet about the conversation being answered', async () => {
    const attentive = await setup('granted', true);
    await attentive.notifier.update({ sound: true, desktop: true });
    await attentive.store.open('c1');
    expect(attentive.store.openId).to.equal('c1');
    attentive.ws.serverSend({ type: 'message', message: message({ id: 'y1', conversationId: 'c1', seq: 2 }) });
    expect(attentive.sounds()).to.equal(0);
    attentive.ws.serverSend({ type: 'conversation', conversation: conversation({ id: 'c5' }) });
    expect(attentive.sounds()).to.equal(1);
    // looking at the console: a sound, but no desktop notification
    expect(attentive.notes.shown).to.have.length(0);
  });

  it('brings the console to the front and names the conversation when a notification is clicked', async () => {
    const { ws, notifier, notes, focused } = await setup('granted');
    await notifier.update({ desktop: true });
    const activated: (string | null)[] = [];
    notifier.addEventListener('activate', (e) => activated.push((e as CustomEvent<string | null>).detail));
    ws.serverSend({ type: 'message', message: message({ id: 'z1', conversationId: 'c1', seq: 2 }) });
    notes.shown[0]!.n.onclick!(new Event('click'));
    expect(focused()).to.equal(1);
    expect(activated).to.deep.equal(['c1']);
  });
});

describe('<direturn-notify-settings>', () => {
  before(() => initI18n('en'));

  it('turns desktop notifications on through the browser and says when it refuses; accessible', async () => {
    const { notifier } = await setup('denied');
    const el = await fixture<DireturnNotifySettings>(html`<direturn-notify-settings .notifier=${notifier}></direturn-notify-settings>`);
    const root = el.shadowRoot!;
    const desktop = root.querySelector<HTMLInputElement>('input[name="desktop"]')!;
    expect(root.querySelector<HTMLInputElement>('input[name="showText"]')!.disabled).to.equal(true);
    desktop.click();
    await waitUntil(() => root.querySelector('[part="status"]')!.textContent!.includes('blocks notifications'), 'no refusal shown');
    expect(desktop.checked).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('saves the sound at once', async () => {
    const { notifier } = await setup('granted');
    const el = await fixture<DireturnNotifySettings>(html`<direturn-notify-settings .notifier=${notifier}></direturn-notify-settings>`);
    el.shadowRoot!.querySelector<HTMLInputElement>('input[name="sound"]')!.click();
    await waitUntil(() => notifier.settings.sound, 'not saved');
    expect(el.shadowRoot!.querySelector('[part="status"]')!.textContent).to.contain('saved');
  });
});
