import { ImapFlow, type MessageStructureObject } from 'imapflow';
import type { Logger } from '../../logger.js';
import { parseMail, parseMailParts, syntheticMessageId, type InboundMail, type MailAttachment } from './parse-mail.js';

/** Thrown by ImapReaderHooks.receive for a mail that can never be stored (it is skipped, not retried). */
export class MailRejected extends Error {
  override readonly name = 'MailRejected';
}

export interface ImapConnection {
  host: string;
  port: number;
  /** TLS from the start (993); false: STARTTLS (143), required unless `cleartext` allows a plain connection. */
  secure: boolean;
  /** Plain login allowed (loopback only: a mail server on the same machine). */
  cleartext?: boolean;
  user: string;
  password: string;
  /** Default INBOX. */
  mailbox?: string;
}

/** How far the reader got in one mailbox: UIDs only grow while UIDVALIDITY stays the same (RFC 9051 2.3.1.1). */
export interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
}

export interface ImapReaderHooks {
  /** True when a mail with this Message-ID is stored already (read again after a crash, or moved back). */
  known(messageId: string): Promise<boolean>;
  /** Stores one mail durably. Throws: it is read again later (MailRejected: never, it is skipped). */
  receive(mail: InboundMail): Promise<void>;
  loadCursor(): Promise<MailboxCursor | undefined>;
  saveCursor(cursor: MailboxCursor): Promise<void>;
  /** Health: connected and the mailbox open, or a mail imported. */
  onEvent?(): void;
  /** Health: what went wrong, in words without addresses or content. */
  onError?(error: string): void;
}

export interface ImapReaderOptions {
  /** Delete (expunge) a mail once it is stored; otherwise it stays, marked \Seen. */
  deleteAfterImport: boolean;
  /** Mails up to this size are downloaded whole; larger ones only their text parts (attachments never). */
  fullFetchMaxBytes: number;
  /** Text of one part of a large mail read at most (bytes). */
  partMaxBytes: number;
  /** First read of a mailbox (or after UIDVALIDITY changed): mail received in the last days only. */
  firstImportDays: number;
  /** Reconnect after a failure: first wait, doubling up to the maximum (± 20 %). */
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Look for mail at least this often even when IDLE reports nothing (servers that miss a notice). */
  pollMs: number;
  /** Times the same mail may fail to download or parse on a working connection before it is skipped (and reported). */
  maxAttemptsPerMail: number;
}

export const DEFAULT_READER_OPTIONS: ImapReaderOptions = {
  deleteAfterImport: false,
  fullFetchMaxBytes: 2_000_000,
  partMaxBytes: 512 * 1024,
  firstImportDays: 7,
  reconnectMinMs: 2000,
  reconnectMaxMs: 300_000,
  pollMs: 120_000,
  maxAttemptsPerMail: 5,
};

/**
 * Reads one mailbox with imapflow: IDLE for new mail, a fresh connection with exponential backoff
 * whenever the server goes away, and progress kept by UID (the cursor), not by server flags (another
 * mail program may mark mail read). Every mail is also checked against the stored Message-IDs before
 * its body is downloaded, so the same mail is never imported twice. Attachments are never
 * downloaded beyond what a whole small mail contains; their bytes are dropped in parse-mail.ts.
 */
export class ImapReader {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private client: ImapFlow | undefined;
  private wake: (() => void) | undefined;
  private dirty = false;
  private readonly failures = new Map<number, number>();
  private streak = 0;

  constructor(
    private readonly connection: ImapConnection,
    private readonly hooks: ImapReaderHooks,
    private readonly logger: Logger,
    private readonly options: ImapReaderOptions = DEFAULT_READER_OPTIONS,
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    this.client?.close();
    await this.loop;
    this.loop = undefined;
  }

  /** Look for mail now. */
  kick(): void {
    this.dirty = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    // Failures in a row: a session that ends in an error (no connection, a dropped one, storing
    // failed) doubles the pause; a completed sync resets it, so a server that accepts the login
    // while something else is broken is not asked every two seconds.
    this.streak = 0;
    while (!this.stopped) {
      try {
        await this.session();
      } catch (err) {
        if (!this.stopped) {
          this.streak++;
          const message = describeImapError(err);
          this.hooks.onError?.(message);
          this.logger.warn({ err: { message }, failures: this.streak }, 'email: IMAP connection failed; reconnecting');
        }
      }
      if (this.stopped) break;
      const base = Math.min(this.options.reconnectMaxMs, this.options.reconnectMinMs * 2 ** Math.max(0, this.streak - 1));
      await this.sleep(base * (0.8 + Math.random() * 0.4));
    }
  }

  /** One connection: open the mailbox, then sync whenever told (IDLE's EXISTS) or every pollMs. */
  private async session(): Promise<void> {
    const client = new ImapFlow({
      host: this.connection.host,
      port: this.connection.port,
      secure: this.connection.secure,
      auth: { user: this.connection.user, pass: this.connection.password },
      // The password never crosses a network unencrypted: STARTTLS or no login.
      ...(this.connection.secure ? {} : { doSTARTTLS: this.connection.cleartext ? undefined : true }),
      logger: false,
      // IDLE soon after each sync (new mail is pushed), restarted every few minutes (NAT timeouts).
      autoIdleDelay: 1000,
      maxIdleTime: 4 * 60_000,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      socketTimeout: 5 * 60_000,
    });
    this.client = client;
    let closed = false;
    let failure: unknown;
    client.on('error', (err: unknown) => {
      failure = err;
    });
    client.on('close', () => {
      closed = true;
      this.wake?.();
    });
    client.on('exists', () => this.kick());
    try {
      await client.connect();
      if (this.stopped) return;
      await client.mailboxOpen(this.connection.mailbox ?? 'INBOX');
      this.hooks.onEvent?.();
      this.dirty = true;
      const timer = setInterval(() => this.kick(), this.options.pollMs);
      timer.unref();
      try {
        while (!this.stopped && !closed) {
          if (this.dirty) {
            this.dirty = false;
            await this.sync(client);
            this.streak = 0;
            continue;
          }
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            if (this.dirty || closed || this.stopped) resolve();
          });
          this.wake = undefined;
        }
      } finally {
        clearInterval(timer);
      }
      if (closed && !this.stopped) throw failure ?? new Error('the IMAP server closed the connection');
    } finally {
      this.client = undefined;
      if (!closed) {
        await Promise.race([client.logout().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
        client.close();
      }
    }
  }

  /** Imports every mail after the cursor, oldest first; the cursor moves after each stored mail. */
  private async sync(client: ImapFlow): Promise<void> {
    const mailbox = client.mailbox;
    if (!mailbox) throw new Error('no mailbox open');
    const uidValidity = String(mailbox.uidValidity);
    let cursor = await this.hooks.loadCursor();
    let uids: number[];
    if (!cursor || cursor.uidValidity !== uidValidity) {
      // A new mailbox (or one rebuilt by the server): recent mail only, deduplicated by Message-ID.
      cursor = { uidValidity, lastUid: 0 };
      uids = mailbox.exists === 0 ? [] : ((await client.search({ since: new Date(Date.now() - this.options.firstImportDays * 86_400_000) }, { uid: true })) || []);
    } else {
      uids = mailbox.exists === 0 ? [] : ((await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true })) || []);
    }
    const lastUid = cursor.lastUid;
    for (const uid of uids.filter((u) => u > lastUid).sort((a, b) => a - b)) {
      if (this.stopped) return;
      await this.importOne(client, uid);
      cursor = { uidValidity, lastUid: uid };
      await this.hooks.saveCursor(cursor);
    }
  }

  /** Stores one mail (unless known), then marks it read or deletes it. Throws: tried again later. */
  private async importOne(client: ImapFlow, uid: number): Promise<void> {
    const head = await client.fetchOne(String(uid), { uid: true, size: true, headers: true, envelope: true, bodyStructure: true }, { uid: true });
    if (!head) return; // expunged meanwhile
    const messageId = head.envelope?.messageId?.trim() || syntheticMessageId(head.headers ?? Buffer.alloc(0));
    if (!(await this.hooks.known(messageId))) {
      let mail: InboundMail | undefined;
      try {
        mail = await this.download(client, uid, head.size ?? 0, head.headers ?? Buffer.alloc(0), head.bodyStructure);
        this.failures.delete(uid);
      } catch (err) {
        // A dropped connection is the server's trouble: reconnect and try again. A mail that fails
        // to download or parse on a healthy connection again and again must not block the mailbox.
        if (!client.usable) throw err;
        const attempts = (this.failures.get(uid) ?? 0) + 1;
        this.failures.set(uid, attempts);
        if (attempts < this.options.maxAttemptsPerMail) throw err;
        this.failures.delete(uid);
        this.skipped(`a mail could not be read and was skipped (it stays in the mailbox): ${describeImapError(err)}`);
      }
      if (mail) {
        mail.messageId = messageId;
        try {
          await this.hooks.receive(mail);
          this.hooks.onEvent?.();
        } catch (err) {
          // Anything else (the database, a paused account) is tried again later, for ever.
          if (!(err instanceof MailRejected)) throw err;
          this.skipped(`a mail was refused and skipped (it stays in the mailbox): ${err.message}`);
        }
      }
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    if (this.options.deleteAfterImport) await client.messageDelete(String(uid), { uid: true });
  }

  private skipped(error: string): void {
    this.hooks.onError?.(error);
    this.logger.error({ err: { message: error } }, 'email: a mail was skipped');
  }

  private async download(client: ImapFlow, uid: number, size: number, header: Buffer, structure: MessageStructureObject | undefined): Promise<InboundMail | undefined> {
    if (size <= this.options.fullFetchMaxBytes || !structure) {
      const msg = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      return msg && msg.source ? parseMail(msg.source) : undefined;
    }
    // Too large to download whole: the text parts only; attachments are listed from the structure.
    const { plain, html, attachments } = splitStructure(structure);
    const body: { plain?: string; html?: string } = {};
    for (const [key, part] of [['plain', plain], ['html', html]] as const) {
      if (!part) continue;
      const dl = await client.download(String(uid), part, { uid: true, maxBytes: this.options.partMaxBytes });
      if (!dl.content) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of dl.content) chunks.push(chunk as Buffer);
      body[key] = Buffer.concat(chunks).toString('utf8');
      if (key === 'plain' && body.plain!.trim() !== '') break;
    }
    return parseMailParts(header, body, attachments);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (this.stopped) done();
      };
      if (this.stopped) done();
    }).finally(() => {
      this.wake = undefined;
    });
  }
}

/** The body text parts (the first plain and HTML that are not attachments) and everything else as attachments. */
export function splitStructure(root: MessageStructureObject): { plain?: string; html?: string; attachments: MailAttachment[] } {
  const out: { plain?: string; html?: string; attachments: MailAttachment[] } = { attachments: [] };
  const visit = (node: MessageStructureObject) => {
    if (node.childNodes?.length) {
      node.childNodes.forEach(visit);
      return;
    }
    const type = (node.type || 'application/octet-stream').toLowerCase();
    const attachment = node.disposition?.toLowerCase() === 'attachment';
    const part = node.part ?? '1';
    if (!attachment && type === 'text/plain' && out.plain === undefined) out.plain = part;
    else if (!attachment && type === 'text/html' && out.html === undefined) out.html = part;
    else {
      // BODYSTRUCTURE gives the encoded size; base64 carries 3 bytes in 4 characters (plus line breaks).
      const encoded = node.size ?? 0;
      out.attachments.push({ type, size: node.encoding?.toLowerCase() === 'base64' ? Math.floor((encoded * 3) / 4 / 1.0256) : encoded });
    }
  };
  visit(root);
  return out;
}

/** An error in words for logs and the admin screen: codes and the server's answer, addresses masked. */
export function describeImapError(err: unknown): string {
  const e = err as { code?: string; responseText?: string; serverResponseCode?: string; message?: string; authenticationFailed?: boolean };
  const parts = [e.authenticationFailed ? 'login failed' : undefined, e.code, e.serverResponseCode, e.message ?? String(err), e.responseText];
  return parts
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .filter((p, i, all) => all.indexOf(p) === i)
    .join(': ')
    .replace(/[^\s<>@"']+@[^\s<>@"']+/g, '<address>')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}
