import { describe, expect, it, vi } from 'vitest';
import type { AgentDto } from '@direturn/protocol';
import type { ConversationService } from '../conversations/conversation.service.js';
import type { AgentConnection } from './agent-connection.js';
import { LocalBus } from './bus/local.js';
import { EventDelivery } from './delivery.js';
import { SocketRegistry } from './registry.js';

// Which process loads a message's conversation summary: only one where a counsellor who is told
// of the message is connected (the cluster bench counted one summary query per process and message).

function agentSocket(id: string): { connection: AgentConnection; frames: Array<{ type: string }> } {
  const frames: Array<{ type: string }> = [];
  const ws = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (data: string) => frames.push(JSON.parse(data) as { type: string }) };
  const agent = { id, role: 'counsellor', name: id } as AgentDto;
  return { connection: { id: `socket-${id}`, ws, agent } as unknown as AgentConnection, frames };
}

function setUp(conversation: { agent_id: string | null; status: 'active' | 'waiting' }, connected: string[]) {
  const registry = new SocketRegistry();
  const sockets = new Map(connected.map((id) => [id, agentSocket(id)]));
  for (const [id, s] of sockets) registry.addAgent(id, s.connection);
  const row = { id: 'c1', visitor_id: 'v1', ...conversation };
  const summary = vi.fn(async () => ({ id: 'c1', status: conversation.status, agentId: conversation.agent_id, firstMessage: 'hello', lastMessage: 'hello', pageUrl: null }));
  const conversations = {
    loadMessage: vi.fn(async () => ({ conversation: row, message: { id: 'm1', seq: 1, author: 'visitor', body: 'hello' } })),
    summary,
  } as unknown as ConversationService;
  const bus = new LocalBus();
  const failures: unknown[] = [];
  const delivery = new EventDelivery(bus, { conversations, registry, fail: (e) => failures.push(e), onOther: () => undefined });
  return { bus, summary, sockets, failures, delivery, conversations };
}

const settled = () => new Promise((r) => setTimeout(r, 10));

describe('message delivery and conversation summaries', () => {
  it('loads no summary where only counsellors who are not told of the message are connected', async () => {
    const t = setUp({ agent_id: 'holder', status: 'active' }, ['colleague']);
    t.bus.publish({ kind: 'message', conversationId: 'c1', seq: 1 });
    await settled();
    expect(t.summary).not.toHaveBeenCalled();
    expect(t.sockets.get('colleague')!.frames).toEqual([]);
    expect(t.failures).toEqual([]);
  });

  it('loads it where the holder is connected, and the holder gets the message and the summary', async () => {
    const t = setUp({ agent_id: 'holder', status: 'active' }, ['holder', 'colleague']);
    t.bus.publish({ kind: 'message', conversationId: 'c1', seq: 1 });
    await settled();
    expect(t.summary).toHaveBeenCalledTimes(1);
    expect(t.sockets.get('holder')!.frames.map((f) => f.type)).toEqual(['message', 'conversation']);
    expect(t.sockets.get('colleague')!.frames).toEqual([]);
  });

  it('loads nothing on a process that holds neither the visitor nor the holder (ids on the event)', async () => {
    const t = setUp({ agent_id: 'holder', status: 'active' }, ['colleague']);
    t.bus.publish({ kind: 'message', conversationId: 'c1', seq: 1, visitorId: 'v1', agentId: 'holder', waiting: false });
    await settled();
    expect(t.conversations.loadMessage).not.toHaveBeenCalled();
    // where the holder is, it is loaded and delivered
    const h = setUp({ agent_id: 'holder', status: 'active' }, ['holder']);
    h.bus.publish({ kind: 'message', conversationId: 'c1', seq: 1, visitorId: 'v1', agentId: 'holder', waiting: false });
    await settled();
    expect(h.conversations.loadMessage).toHaveBeenCalledTimes(1);
    expect(h.sockets.get('holder')!.frames.map((f) => f.type)).toEqual(['message', 'conversation']);
    // while it waits, any counsellor here is told
    const w = setUp({ agent_id: null, status: 'waiting' }, ['colleague']);
    w.bus.publish({ kind: 'message', conversationId: 'c1', seq: 1, visitorId: 'v1', agentId: null, waiting: true });
    await settled();
    expect(w.sockets.get('colleague')!.frames.map((f) => f.type)).toEqual(['conversation']);
  });

  it('loads it for a waiting conversation wherever a counsellor is connected (every queue shows it)', async () => {
    const t = setUp({ agent_id: null, status: 'waiting' }, ['colleague']);
    t.bus.publish({ kind: 'message', conversationId: 'c1', seq: 1 });
    await settled();
    expect(t.summary).toHaveBeenCalledTimes(1);
    expect(t.sockets.get('colleague')!.frames.map((f) => f.type)).toEqual(['conversation']);
  });
});
