/** Bookkeeping both clients need around the socket: the outbox, seen message ids and sequence numbers. */

/**
 * Messages sent but not yet acknowledged, oldest first, by client id. After a reconnect the
 * client sends them again with the same client id; the server answers a repeat with the same ack.
 */
export class Outbox<T extends { clientId: string }> {
  constructor(
    public items: T[],
    /** Called after every change (persist, notify). */
    changed: (items: readonly T[]) => void,
  ) {
    this.#changed = changed;
  }

  readonly #changed: (items: readonly T[]) => void;

  add(item: T): void {
    this.items.push(item);
    this.#changed(this.items);
  }

  /** Removes and returns the item, or undefined when it was not there. */
  remove(clientId: string): T | undefined {
    const item = this.items.find((i) => i.clientId === clientId);
    if (item) {
      this.items = this.items.filter((i) => i !== item);
      this.#changed(this.items);
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.#changed(this.items);
  }
}

/** Message ids already delivered (a message can come as `message`, `ack` and again in `synced`). */
export class SeenIds extends Set<string> {
  /** Remembers the id; false when it was already known. */
  fresh(id: string): boolean {
    return !this.has(id) && !!this.add(id);
  }
}

/**
 * The highest sequence number of a conversation held without gaps: what a client asks the
 * server to continue after (`sync` / `hello.lastSeq`), so a lost frame is fetched again.
 */
export class SeqTracker {
  last = 0;
  /** The highest sequence number seen (gaps or not). */
  top = 0;
  readonly #ahead = new Set<number>();

  /** Starts over (another conversation) from `base` (known up to there, e.g. loaded over REST). */
  reset(base = 0): void {
    this.last = this.top = base;
    this.#ahead.clear();
  }

  add(seq: number): void {
    if (seq > this.top) this.top = seq;
    if (seq > this.last) this.#ahead.add(seq);
    while (this.#ahead.delete(this.last + 1)) this.last++;
  }
}
