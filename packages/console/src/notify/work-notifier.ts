/**
 * Notice new work while doing something else: a conversation entering the queue, or a visitor
 * writing in one of one's own conversations, raises a desktop notification (once the counsellor
 * turned them on and the browser allowed them; without message text unless the counsellor chose
 * to show it), an optional sound, and a count in the tab title. Settings are per counsellor on
 * this device (localStorage). Everything the browser provides is injectable for tests.
 */
import type { ConversationSummaryDto } from '@direturn/protocol';
import type { ConsoleStore, NewMessageDetail } from '../app/console-store.js';
import { t, uiLanguage } from '../i18n/i18n.js';
import { nativeLanguageName } from '../shared/format.js';

export interface NotifySettings {
  /** Desktop notifications (the browser's permission is asked when this is turned on). */
  desktop: boolean;
  /** Put the visitor's words into the notification (off: only that something arrived, and where). */
  showText: boolean;
  sound: boolean;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = { desktop: false, showText: false, sound: false };

/** The part of the Notification API used here. */
export interface NotificationLike {
  onclick: ((ev: Event) => unknown) | null;
  close(): void;
}
export interface NotificationConstructorLike {
  new (title: string, options?: NotificationOptions): NotificationLike;
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
}

export interface NotifyEnvironment {
  /** null: the browser has no notifications. */
  Notification: NotificationConstructorLike | null;
  playSound(): void;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Visible and focused: the counsellor is looking at the console. */
  attentive(): boolean;
  /** The tab title (read once as the base, then written with the count). */
  title: { get(): string; set(value: string): void };
  /** Bring the console's window to the front (a click on a notification). */
  focusWindow(): void;
}

/** A short two-tone chime from the Web Audio API: no sound file to ship. */
function chime(): void {
  try {
    const ctx = new AudioContext();
    const now = ctx.currentTime;
    for (const [i, freq] of [660, 880].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.15 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.15 + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(now + i * 0.15);
      osc.stop(now + i * 0.15 + 0.15);
    }
    setTimeout(() => void ctx.close(), 600);
  } catch {
    /* no audio: the notification and the title still tell */
  }
}

export function browserEnvironment(): NotifyEnvironment {
  let storage: Storage | null = null;
  try {
    storage = globalThis.localStorage ?? null;
  } catch {
    storage = null;
  }
  const N = (globalThis as { Notification?: NotificationConstructorLike }).Notification ?? null;
  return {
    Notification: N,
    playSound: chime,
    storage,
    attentive: () => document.visibilityState === 'visible' && document.hasFocus(),
    title: { get: () => document.title, set: (v) => (document.title = v) },
    focusWindow: () => window.focus(),
  };
}

export type NotifyPermission = NotificationPermission | 'unsupported';

/**
 * Events: `change` (settings or permission changed), `activate` (`CustomEvent<string | null>`:
 * a notification was clicked; the conversation to open, or null for the queue).
 */
export class WorkNotifier extends EventTarget {
  settings: NotifySettings = { ...DEFAULT_NOTIFY_SETTINGS };
  private owner = '';
  private store: ConsoleStore | null = null;
  private baseTitle: string | null = null;
  private readonly shown = new Map<string, NotificationLike>();

  constructor(private readonly env: NotifyEnvironment = browserEnvironment()) {
    super();
  }

  get permission(): NotifyPermission {
    return this.env.Notification ? this.env.Notification.permission : 'unsupported';
  }

  /** Starts watching the store for the signed-in agent (loads their settings). */
  attach(store: ConsoleStore, agentId: string): void {
    this.detach();
    this.store = store;
    this.owner = agentId;
    this.settings = this.load();
    this.baseTitle = this.env.title.get();
    store.addEventListener('new-waiting', this.onWaiting);
    store.addEventListener('new-message', this.onMessage);
    store.addEventListener('change', this.onChange);
    this.onChange();
    this.dispatchEvent(new Event('change'));
  }

  /** Stops (logout): the title loses its count, open notifications close. */
  detach(): void {
    const store = this.store;
    if (store) {
      store.removeEventListener('new-waiting', this.onWaiting);
      store.removeEventListener('new-message', this.onMessage);
      store.removeEventListener('change', this.onChange);
    }
    this.store = null;
    if (this.baseTitle !== null) this.env.title.set(this.baseTitle);
    this.baseTitle = null;
    for (const n of this.shown.values()) n.close();
    this.shown.clear();
  }

  /**
   * Changes settings. Turning desktop notifications on asks the browser first; they stay off
   * when it refuses. Resolves to the settings in force.
   */
  async update(next: Partial<NotifySettings>): Promise<NotifySettings> {
    const wanted = { ...this.settings, ...next };
    if (next.desktop && !this.settings.desktop) {
      const N = this.env.Notification;
      let permission: NotifyPermission = N ? N.permission : 'unsupported';
      if (N && permission === 'default') {
        try {
          permission = await N.requestPermission();
        } catch {
          permission = 'denied';
        }
      }
      if (permission !== 'granted') wanted.desktop = false;
    }
    this.settings = wanted;
    this.save();
    this.dispatchEvent(new Event('change'));
    return this.settings;
  }

  private readonly onChange = (): void => {
    if (this.baseTitle === null || !this.store) return;
    const count = this.store.attentionCount;
    this.env.title.set(count > 0 ? t('notify.title', { count, title: this.baseTitle }) : this.baseTitle);
  };

  private readonly onWaiting = (e: Event): void => {
    const c = (e as CustomEvent<ConversationSummaryDto>).detail;
    const attentive = this.env.attentive();
    if (this.settings.sound) this.env.playSound();
    if (attentive) return;
    const where = t('notify.where', { site: c.siteName, language: nativeLanguageName(c.language) });
    const body = this.settings.showText && c.firstMessage ? `${where}\n${c.firstMessage}` : where;
    this.show(`waiting:${c.id}`, t('notify.waiting'), body, c.language, null);
  };

  private readonly onMessage = (e: Event): void => {
    const { conversation: c, message } = (e as CustomEvent<NewMessageDetail>).detail;
    const attentive = this.env.attentive();
    // Writing back and forth in the open conversation: nothing to point out.
    if (attentive && this.store?.openId === c.id) return;
    if (this.settings.sound) this.env.playSound();
    if (attentive) return;
    const where = t('notify.where', { site: c.siteName, language: nativeLanguageName(c.language) });
    const body = this.settings.showText ? `${where}\n${message.body}` : where;
    this.show(`message:${c.id}`, t('notify.message'), body, c.language, c.id);
  };

  private show(tag: string, title: string, body: string, language: string, conversationId: string | null): void {
    const N = this.env.Notification;
    if (!this.settings.desktop || !N || N.permission !== 'granted') return;
    this.shown.get(tag)?.close();
    let n: NotificationLike;
    try {
      // dir auto: a site name or message in Arabic keeps its own direction
      n = new N(title, { body, tag, lang: uiLanguage(), dir: 'auto', silent: true, data: { language } });
    } catch {
      return; // e.g. Android Chrome allows notifications only from a service worker
    }
    this.shown.set(tag, n);
    n.onclick = () => {
      this.env.focusWindow();
      n.close();
      this.shown.delete(tag);
      this.dispatchEvent(new CustomEvent<string | null>('activate', { detail: conversationId }));
    };
  }

  private key(): string {
    return `direturn:console:notify:${this.owner}`;
  }

  private load(): NotifySettings {
    try {
      const raw = JSON.parse(this.env.storage?.getItem(this.key()) ?? 'null') as Partial<NotifySettings> | null;
      if (!raw || typeof raw !== 'object') return { ...DEFAULT_NOTIFY_SETTINGS };
      const settings = {
        desktop: raw.desktop === true,
        showText: raw.showText === true,
        sound: raw.sound === true,
      };
      // Permission taken back in the browser since: off until turned on again.
      if (settings.desktop && this.permission !== 'granted') settings.desktop = false;
      return settings;
    } catch {
      return { ...DEFAULT_NOTIFY_SETTINGS };
    }
  }

  private save(): void {
    try {
      this.env.storage?.setItem(this.key(), JSON.stringify(this.settings));
    } catch {
      /* settings last for this page only */
    }
  }
}
