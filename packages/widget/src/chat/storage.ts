/**
 * The frame's storage. Browsers that block third-party storage (some private modes, strict
 * settings) throw on any access to `localStorage` inside the frame; the chat must keep working
 * then, so it falls back to memory and tells the visitor it will not remember them.
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class MemoryStorage implements StorageLike {
  private readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

export interface FrameStorage {
  storage: StorageLike;
  /** False when the browser refused storage: nothing survives a reload. */
  persistent: boolean;
}

/** localStorage if the browser allows it here (probed with a write), else memory. */
export function openFrameStorage(probe: () => Storage = () => window.localStorage): FrameStorage {
  try {
    const storage = probe();
    const key = 'direturn:v1:probe';
    storage.setItem(key, '1');
    storage.removeItem(key);
    return { storage, persistent: true };
  } catch {
    return { storage: new MemoryStorage(), persistent: false };
  }
}
