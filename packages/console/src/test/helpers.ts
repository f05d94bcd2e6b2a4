/** Test helpers: fixtures for DTOs, a fetch stub and a scriptable fake WebSocket. */
import { fixture, html } from '@open-wc/testing';
import type { AgentDto, AgentServerFrame, ConversationSummaryDto, MessageDto } from '@direturn/protocol';
import { ApiClient, type FetchLike } from '../api/api-client.js';
import { AgentSocket, type WebSocketConstructor, type WebSocketLike } from '../realtime/agent-socket.js';
import type { DireturnConsole } from '../app/direturn-console.js';

export const agent: AgentDto = { id: 'a1', email: 'anna@example.org', name: 'Anna', role: 'counsellor', languages: ['de', 'en'] };

export function conversation(overrides: Partial<ConversationSummaryDto> = {}): ConversationSummaryDto {
  return {
    id: 'c1',
    siteId: 's1',
    siteName: 'Beratung Nord',
    channel: 'widget',
    status: 'waiting',
    language: 'ar',
    pageUrl: 'https://partner.example.org/hilfe/rueckkehr?name=secret#top',
    agentId: null,
    agentName: null,
    createdAt: Date.now() - 5 * 60_000,
    claimedAt: null,
    closedAt: null,
    lastSeq: 1,
    lastMessageAt: Date.now() - 5 * 60_000,
    firstMessage: 'مرحبا، أريد العودة',
    visitorReadSeq: 0,
    agentReadSeq: 0,
    unread: 1,
    ...overrides,
  };
}

export function message(overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: 'm1',
    conversationId: 'c1',
    seq: 1,
    author: 'visitor',
    body: 'Hallo',
    clientId: null,
    agentName: null,
    createdAt: Date.now() - 60_000,
    ...overrides,
  };
}

export function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export interface FetchCall {
  url: string;
  method: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A fetch that records calls and answers through `handler` (404 when it returns undefined). */
export function stubFetch(handler: (method: string, url: string, body: unknown) => Response | undefined | Promise<Response | undefined>) {
  const calls: FetchCall[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ url, method, body, headers: { ...(init.headers as Record<string, string>) } });
    return (await handler(method, url, body)) ?? json(404, { error: { code: 'not_found', message: 'Not found' } });
  };
  return { fetch, calls };
}

export interface FakeSocket extends WebSocketLike {
  readonly url: string;
  readonly sent: string[];
  closed: boolean;
  /** Frames the client sent, parsed. */
  frames(): Array<{ type: string; [key: string]: unknown }>;
  serverOpen(): void;
  serverSend(frame: AgentServerFrame): void;
  /** The connection drops without a clean close. */
  serverDrop(): void;
  /** The server closes the connection with a code (e.g. 4401: session ended). */
  serverClose(code: number): void;
}

/** A WebSocket class for AgentSocket whose instances the test drives; `instances` lists them in order. */
export function fakeWebSocketClass(): WebSocketConstructor & { instances: FakeSocket[] } {
  const instances: FakeSocket[] = [];
  class Fake implements FakeSocket {
    static instances = instances;
    readyState = 0;
    onopen: ((ev: Event) => unknown) | null = null;
    onclose: ((ev: CloseEvent) => unknown) | null = null;
    onerror: ((ev: Event) => unknown) | null = null;
    onmessage: ((ev: MessageEvent) => unknown) | null = null;
    readonly sent: string[] = [];
    closed = false;
    readonly url: string;
    constructor(url: string) {
      this.url = url;
      instances.push(this);
    }
    send(data: string): void {
      if (this.readyState !== 1) throw new Error('not open');
      this.sent.push(data);
    }
    close(): void {
      this.closed = true;
      this.readyState = 3;
    }
    frames() {
      return this.sent.map((s) => JSON.parse(s) as { type: string; [key: string]: unknown });
    }
    serverOpen(): void {
      this.readyState = 1;
      this.onopen?.(new Event('open'));
    }
    serverSend(frame: AgentServerFrame): void {
      this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
    }
    serverDrop(): void {
      this.readyState = 3;
      this.onclose?.(new CloseEvent('close', { code: 1006 }));
    }
    serverClose(code: number): void {
      this.readyState = 3;
      this.onclose?.(new CloseEvent('close', { code }));
    }
  }
  return Fake;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Walks into nested shadow roots: deep(root, 'a', 'b') finds b inside a's shadow root. */
export function deep(root: Element | ShadowRoot, ...selectors: string[]): Element | null {
  let node: Element | ShadowRoot | null = root;
  for (const [i, sel] of selectors.entries()) {
    const found: Element | null = node.querySelector(sel);
    if (!found) return null;
    node = i < selectors.length - 1 ? found.shadowRoot : found;
    if (!node) return null;
  }
  return node as Element;
}

export const adminAgent: AgentDto = { id: 'a0', email: 'admin@example.org', name: 'Ada', role: 'admin', languages: ['de'], totpEnabled: true };

/**
 * `<direturn-console>` on a stubbed API and a fake agent socket (not yet open: tests open it with
 * `WS.instances[0].serverOpen()`). The test file imports the element itself.
 */
export async function mountConsole(routes: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch(routes);
  const WS = fakeWebSocketClass();
  const el = await fixture<DireturnConsole>(html`<direturn-console
    .api=${new ApiClient({ fetch: stub.fetch })}
    .createSocket=${() => new AgentSocket({ url: 'ws://test/ws/agent', WebSocket: WS, baseDelayMs: 10_000 })}
  ></direturn-console>`);
  return { el, root: el.shadowRoot!, stub, WS };
}
