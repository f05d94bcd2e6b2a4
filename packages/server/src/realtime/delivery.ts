import type { AgentServerFrame, VisitorServerFrame } from '@direturn/protocol';
import type { ConversationService } from '../conversations/conversation.service.js';
import { toVisitorConversationDto } from '../conversations/conversation.presenter.js';
import { counsels, shouldNotify } from '../conversations/conversation.policy.js';
import type { Bus, BusEvent, LocalPayload } from './bus/bus.js';
import { changeFanout, deletedFanout, deliveryFanout, messageFanout, noteFanout, readFanout, readNeedsSummary, typingFanout, type Delivery } from './fanout.js';
import { sendFrame } from './frames.js';
import type { SocketRegistry } from './registry.js';

export interface DeliveryDeps {
  conversations: ConversationService;
  registry: SocketRegistry;
  fail: (err: unknown) => void;
  /** Events that are not about conversations: the hub acts on them. */
  onOther: (event: Exclude<BusEvent, { kind: 'message' | 'changed' | 'read' | 'deleted' | 'typing' | 'note' | 'delivery' }>, from: string) => void;
  /** Every delivered event's age when it came from another process (metrics). */
  onLag?: (ms: number) => void;
  /** Frames written to sockets (metrics). */
  onSent?: (frame: VisitorServerFrame | AgentServerFrame, recipient: 'visitor' | 'agent') => void;
}

/**
 * Turns bus events into frames on this process's sockets: loads (and decrypts) what an event
 * names, unless the publishing process handed it over in memory, applies the fan-out rule and
 * writes to the sockets the registry holds. Events of one conversation are handled in order, so
 * a read mark never overtakes the message it follows.
 */
/** Conversations whose latest delivered seq a process remembers for gap filling (oldest forgotten first). */
const REMEMBERED_CONVERSATIONS = 20_000;
/** A longer gap is left to the clients' own catch-up on reconnect (they sync from their last seq). */
const MAX_GAP_FILL = 50;

export class EventDelivery {
  private readonly chains = new Map<string, Promise<void>>();
  /** Per conversation, the highest message seq announced to this process. */
  private readonly lastSeq = new Map<string, number>();
  private readonly off: () => void;

  constructor(
    private readonly bus: Bus,
    private readonly deps: DeliveryDeps,
  ) {
    this.off = bus.subscribe((event, meta) => {
      if (meta.lagMs !== undefined) deps.onLag?.(meta.lagMs);
      this.route(event, meta.from, meta.local);
    });
  }

  stop(): void {
    this.off();
  }

  private route(event: BusEvent, from: string, local: LocalPayload | undefined): void {
    switch (event.kind) {
      case 'message':
      case 'changed':
      case 'read':
        return this.inOrder(event.conversationId, () => this.conversationEvent(event, local));
      case 'note':
        // In order with the conversation's other events: the handover note after the change of holder.
        return this.inOrder(event.conversationId, () => this.noteEvent(event));
      case 'delivery':
        // After the message it is about.
        return this.inOrder(event.conversationId, () => this.deliveryEvent(event, local));
      case 'deleted':
        for (const id of event.conversationIds) this.lastSeq.delete(id);
        return this.send(deletedFanout(event.conversationIds, event.visitorId));
      case 'typing':
        return this.send(typingFanout(event));
      default:
        return this.deps.onOther(event, from);
    }
  }

  private inOrder(key: string, work: () => Promise<void>): void {
    const next = (this.chains.get(key) ?? Promise.resolve()).then(work).catch((err: unknown) => this.deps.fail(err));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private async conversationEvent(event: Extract<BusEvent, { kind: 'message' | 'changed' | 'read' }>, local: LocalPayload | undefined): Promise<void> {
    const { conversations, registry } = this.deps;
    const agentsHere = registry.agentCount > 0;
    if (event.kind === 'message') {
      if (!local?.message && !this.holdsRecipientOf(event)) {
        this.rememberSeq(event.conversationId, event.seq); // no gap to fill later for what was not for here
        return;
      }
      const loaded = local?.conversation && local.message ? { conversation: local.conversation, message: local.message } : await conversations.loadMessage(event.conversationId, event.seq);
      if (!loaded) return; // deleted meanwhile
      await this.fillGap(event.conversationId, event.seq);
      // Only for a counsellor connected here who is told of it (the holder; anyone while it waits):
      // no summary query on the other processes (one per process and message was measurable).
      const told = agentsHere && [...registry.agents()].some((c) => shouldNotify(c.agent, loaded.conversation, false));
      const summary = told ? await conversations.summary(event.conversationId).catch(() => undefined) : undefined;
      return this.send(messageFanout(loaded.conversation, loaded.message, summary, event.origin));
    }
    const conversation = local?.conversation ?? (await conversations.row(event.conversationId));
    if (!conversation) return;
    if (event.kind === 'changed') {
      const agentName = await conversations.agentNameOf(conversation);
      const summary = agentsHere ? await conversations.summary(conversation.id).catch(() => undefined) : undefined;
      return this.send(changeFanout(conversation, toVisitorConversationDto(conversation, agentName), summary, event.change));
    }
    const summary = agentsHere && readNeedsSummary(conversation, event.by, event.withMessage) ? await conversations.summary(conversation.id).catch(() => undefined) : undefined;
    this.send(readFanout(conversation, event.by, event.seq, summary));
  }

  /**
   * A process can die after a message's COMMIT and before announcing it (and a Redis publish can
   * be lost). The seqs of one conversation have no holes, so a later message that skips some tells
   * this process what it never heard of: it delivers those first, in order, from the database.
   * Clients drop a message id they already have, so a late original announcement does no harm.
   */
  private async fillGap(conversationId: string, seq: number): Promise<void> {
    const last = this.rememberSeq(conversationId, seq);
    if (last === undefined || seq - last < 2 || seq - last > MAX_GAP_FILL) return;
    const missed = await this.deps.conversations.loadMessagesBetween(conversationId, last, seq);
    if (!missed) return;
    for (const message of missed.messages) this.send(messageFanout(missed.conversation, message, undefined));
  }

  /** Records `seq` as announced here; returns the highest seen before. */
  private rememberSeq(conversationId: string, seq: number): number | undefined {
    const last = this.lastSeq.get(conversationId);
    this.lastSeq.delete(conversationId); // re-insert: the map's order is the order of use
    this.lastSeq.set(conversationId, Math.max(last ?? 0, seq));
    if (this.lastSeq.size > REMEMBERED_CONVERSATIONS) this.lastSeq.delete(this.lastSeq.keys().next().value as string);
    return last;
  }

  /**
   * Whether this process holds a socket a message goes to: the visitor's, the holder's, or (while
   * it waits) any counsellor's. An event without these ids (an older process) counts as yes.
   */
  private holdsRecipientOf(event: Extract<BusEvent, { kind: 'message' }>): boolean {
    const { registry } = this.deps;
    if (event.visitorId === undefined) return true;
    if (!isEmpty(registry.visitor(event.visitorId))) return true;
    if (event.agentId && !isEmpty(registry.agent(event.agentId))) return true;
    return event.waiting === true && [...registry.agents()].some((c) => counsels(c.agent));
  }

  private async noteEvent(event: Extract<BusEvent, { kind: 'note' }>): Promise<void> {
    if (this.deps.registry.agentCount === 0) return;
    const loaded = await this.deps.conversations.loadNote(event.noteId);
    if (!loaded) return; // deleted meanwhile
    this.send(noteFanout(loaded.conversation, loaded.note, event.handover));
  }

  private async deliveryEvent(event: Extract<BusEvent, { kind: 'delivery' }>, local: LocalPayload | undefined): Promise<void> {
    if (this.deps.registry.agentCount === 0) return;
    const loaded = local?.conversation && local.delivery ? { conversation: local.conversation, delivery: local.delivery } : await this.deps.conversations.loadDelivery(event.conversationId, event.messageId);
    if (!loaded) return; // deleted meanwhile
    this.send(deliveryFanout(loaded.conversation, event.messageId, loaded.delivery));
  }

  private send(deliveries: Delivery[]): void {
    const { registry, onSent } = this.deps;
    for (const d of deliveries) {
      if (d.to === 'visitor') {
        for (const c of registry.visitor(d.visitorId)) {
          if (c.id === d.except) continue;
          sendFrame(c.ws, d.frame);
          onSent?.(d.frame, 'visitor');
          if (d.close) c.ws.close(d.close, 'deleted');
        }
        if (d.close) registry.dropVisitor(d.visitorId);
      } else if (d.to === 'agent') {
        for (const c of registry.agent(d.agentId)) {
          if (c.id === d.except) continue;
          sendFrame(c.ws, d.frame);
          onSent?.(d.frame, 'agent');
        }
      } else {
        for (const c of registry.agents()) {
          if (!d.where(c.agent)) continue;
          const frame = typeof d.frame === 'function' ? d.frame(c.agent) : d.frame;
          sendFrame(c.ws, frame);
          onSent?.(frame, 'agent');
        }
      }
    }
  }
}

const isEmpty = (sockets: Iterable<unknown>): boolean => {
  for (const _ of sockets) return false;
  return true;
};
