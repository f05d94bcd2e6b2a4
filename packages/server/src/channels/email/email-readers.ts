import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { newId } from '../../shared/ids.js';
import type { ChannelAccount, ChannelAccountSource, ChannelInbox } from '../channel.js';
import { releaseLease, saveCursor, loadCursor, takeLease, inboundKnown } from './email.repository.js';
import { emailSettings, EmailSettingsError, type EmailSettings } from './email-settings.js';
import { ImapReader, DEFAULT_READER_OPTIONS, type ImapReaderOptions } from './imap-reader.js';
import { providerMessageId } from './email-inbound.js';
import type { InboundMail } from './parse-mail.js';

export interface EmailReadersOptions {
  /** How often the list of active accounts is read and the leases renewed. */
  checkMs: number;
  /** A lease lasts this long: a process that died frees its mailboxes after it. */
  leaseMs: number;
  reader: ImapReaderOptions;
}

export const DEFAULT_READERS_OPTIONS: EmailReadersOptions = { checkMs: 15_000, leaseMs: 60_000, reader: DEFAULT_READER_OPTIONS };

/**
 * One IMAP reader per active e-mail account, in exactly one process of an installation: each
 * mailbox has a lease in the database (email_mailboxes) that its process renews every check; a
 * second process reads it only after the lease ran out (the first stopped or died). Readers start
 * and stop with the server, with pause/resume of the account, and restart when its settings or
 * secrets change.
 */
export class EmailReaders {
  private readonly owner = newId();
  private readonly readers = new Map<string, { reader: ImapReader; fingerprint: string }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly accounts: ChannelAccountSource,
    private readonly inbox: ChannelInbox,
    private readonly handle: (account: ChannelAccount, settings: EmailSettings, mail: InboundMail) => Promise<void>,
    private readonly logger: Logger,
    private readonly options: EmailReadersOptions = DEFAULT_READERS_OPTIONS,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.check(), this.options.checkMs);
    this.timer.unref();
    this.check();
  }

  /** Looks at the accounts now (after an admin changed one), instead of at the next check. */
  check(): void {
    if (this.stopped || this.ticking) return;
    this.ticking = this.tick()
      .catch((err: Error) => this.logger.warn({ err: { message: err.message } }, 'email: checking the mailboxes failed; trying again at the next check'))
      .finally(() => {
        this.ticking = undefined;
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all([...this.readers.keys()].map((id) => this.stopReader(id)));
  }

  /** Account ids whose mailbox this process reads now. */
  get reading(): string[] {
    return [...this.readers.keys()];
  }

  private async tick(): Promise<void> {
    const active = await this.accounts.listActive('email');
    const ids = new Set(active.map((a) => a.id));
    for (const id of this.readers.keys()) if (!ids.has(id)) await this.stopReader(id);
    for (const account of active) {
      if (this.stopped) return;
      const now = Date.now();
      const held = await takeLease(this.db, account.id, this.owner, now, now + this.options.leaseMs);
      const current = this.readers.get(account.id);
      if (!held) {
        // Another process reads it (or took it over after this one stalled).
        if (current) await this.stopReader(account.id, false);
        continue;
      }
      const fingerprint = createHash('sha256').update(JSON.stringify([account.settings, account.secrets])).digest('hex');
      if (current && current.fingerprint === fingerprint) continue;
      if (current) await this.stopReader(account.id, false);
      let settings: EmailSettings;
      try {
        settings = emailSettings(account);
      } catch (err) {
        if (!(err instanceof EmailSettingsError)) throw err;
        await this.inbox.recordError(account.id, err.message).catch(() => undefined);
        await releaseLease(this.db, account.id, this.owner, Date.now());
        continue;
      }
      this.startReader(account, settings, fingerprint);
    }
  }

  private startReader(account: ChannelAccount, settings: EmailSettings, fingerprint: string): void {
    const accountId = account.id;
    const reader = new ImapReader(
      settings.imap,
      {
        known: (messageId) => inboundKnown(this.db, accountId, providerMessageId(messageId)),
        receive: (mail) => this.handle(account, settings, mail),
        loadCursor: () => loadCursor(this.db, accountId),
        saveCursor: async (cursor) => {
          if (!(await saveCursor(this.db, accountId, this.owner, cursor, Date.now()))) throw new Error('the mailbox lease was lost to another process');
        },
        onEvent: () => void this.inbox.recordEvent(accountId).catch(() => undefined),
        onError: (error) => void this.inbox.recordError(accountId, error).catch(() => undefined),
      },
      this.logger.child({ channel: 'email', accountId }),
      { ...this.options.reader, deleteAfterImport: settings.deleteAfterImport },
    );
    this.readers.set(accountId, { reader, fingerprint });
    reader.start();
    this.logger.info({ accountId }, 'email: reading the mailbox');
  }

  private async stopReader(accountId: string, release = true): Promise<void> {
    const current = this.readers.get(accountId);
    this.readers.delete(accountId);
    await current?.reader.stop();
    if (release) await releaseLease(this.db, accountId, this.owner, Date.now()).catch(() => undefined);
    if (current) this.logger.info({ accountId }, 'email: stopped reading the mailbox');
  }
}
