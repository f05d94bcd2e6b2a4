/** The chat app with a fake socket and bridge, for the component tests. */
import { fixture, html } from '@open-wc/testing';
import type { FrameToHost, HostToFrame, LanguageCode, MessageDto, PrivacyNoticeDto } from '@direturn/protocol';
import { initI18n } from '../i18n/i18n.js';
import { VisitorConnection } from './connection.js';
import { FakeSocket, ManualTimers, MemoryStorage } from './fake-socket.test-util.js';
import type { ChatApp, HostBridge } from './chat-app.js';
import './chat-app.js';

export const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz';

export class FakeBridge implements HostBridge {
  posted: FrameToHost[] = [];
  handler: ((m: HostToFrame) => void) | undefined;
  post(message: FrameToHost): void {
    this.posted.push(message);
  }
  onHostMessage(handler: (m: HostToFrame) => void): () => void {
    this.handler = handler;
    return () => (this.handler = undefined);
  }
}

export function msg(seq: number, extra: Partial<MessageDto> = {}): MessageDto {
  return { id: `m${seq}`, conversationId: 'c1', seq, author: 'agent', body: `hello ${seq}`, clientId: null, agentName: 'Lena', createdAt: Date.now(), ...extra };
}

export const PRIVACY: PrivacyNoticeDto = {
  language: 'de',
  text: 'Wir speichern Ihre Nachrichten verschlüsselt.\n\nNur Beraterinnen und Berater lesen sie: https://example.org/wer',
  links: [
    { label: 'Datenschutzerklärung', url: 'https://example.org/datenschutz' },
    { label: 'böse', url: 'javascript:window.__pwned=1' },
    { label: 'Daten', url: 'data:text/html,<b>x</b>' },
  ],
  retentionDays: 90,
};

export async function setup(
  lang: LanguageCode = 'de',
  opts: { agentsOnline?: boolean; messages?: MessageDto[]; agentReadSeq?: number; privacy?: PrivacyNoticeDto; style?: string } = {},
) {
  await initI18n(lang);
  // lang and dir of the document are the app's to set
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
  FakeSocket.reset();
  localStorage.removeItem('direturn:v1:read:s1');
  const timers = new ManualTimers();
  const connection = new VisitorConnection({
    url: 'ws://test/ws/visitor',
    site: 's1',
    origin: 'https://partner.example',
    language: lang,
    WebSocket: FakeSocket,
    storage: new MemoryStorage(),
    timers,
    onlineTarget: null,
  });
  const bridge = new FakeBridge();
  const el = await fixture<ChatApp>(html`<direturn-chat-app site="s1" style=${opts.style ?? ''} .connection=${connection} .bridge=${bridge}></direturn-chat-app>`);
  connection.connect();
  const socket = FakeSocket.last;
  socket.serverOpen();
  const messages = opts.messages ?? [];
  socket.serverSend({
    type: 'welcome',
    token: TOKEN,
    visitorId: 'v1',
    conversation: messages.length
      ? { id: 'c1', status: 'active', language: lang, lastSeq: messages.at(-1)!.seq, agentReadSeq: opts.agentReadSeq ?? 0, agentName: 'Lena' }
      : null,
    messages,
    agentsOnline: opts.agentsOnline ?? true,
    ...(opts.privacy ? { privacy: opts.privacy } : {}),
  });
  await el.updateComplete;
  const list = el.shadowRoot!.querySelector('direturn-chat-messages')!;
  await list.updateComplete;
  return { el, connection, socket, bridge, list, timers };
}

export const bubbles = (list: Element) => [...list.shadowRoot!.querySelectorAll<HTMLElement>('.bubble')];
