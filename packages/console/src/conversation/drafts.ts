/**
 * Unsent replies, per counsellor and conversation, in localStorage: a reload or a crash keeps
 * what was typed. A draft is removed when it is sent, when its conversation is deleted, and all
 * of a counsellor's drafts on logout (a shared computer must not keep them).
 */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const PREFIX = 'direturn:console:draft:';

function defaultStorage(): DraftStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked: drafts live only as long as the page
  }
}

export class Drafts {
  private owner = '';

  constructor(private readonly storage: DraftStorage | null = defaultStorage()) {}

  /** Whose drafts these are (the signed-in agent's id); '' while nobody is signed in. */
  setOwner(agentId: string): void {
    this.owner = agentId;
  }

  get(conversationId: string): string {
    if (!this.owner) return '';
    try {
      return this.storage?.getItem(this.key(conversationId)) ?? '';
    } catch {
      return '';
    }
  }

  /** Keeps `text` for the conversation; blank text removes the draft. */
  set(conversationId: string, text: string): void {
    if (!this.owner) return;
    try {
      if (text.trim()) this.storage?.setItem(this.key(conversationId), text);
      else this.storage?.removeItem(this.key(conversationId));
    } catch {
      /* quota or blocked storage: the draft stays in the field */
    }
  }

  clear(conversationId: string): void {
    this.set(conversationId, '');
  }

  /** Removes every draft of the current owner (logout). */
  clearAll(): void {
    const storage = this.storage;
    if (!storage || !this.owner) return;
    const mine = `${PREFIX}${this.owner}:`;
    try {
      const keys: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const k = storage.key(i);
        if (k?.startsWith(mine)) keys.push(k);
      }
      for (const k of keys) storage.removeItem(k);
    } catch {
      /* nothing to clear */
    }
  }

  private key(conversationId: string): string {
    return `${PREFIX}${this.owner}:${conversationId}`;
  }
}
