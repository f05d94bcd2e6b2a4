import type { ChannelAccount, ChannelAdapter, ChannelContext, ChannelModule, OutboundMessage } from '../channel.js';
import { PermanentFailure, RetryLater } from '../channel.js';
import { autoReplyText } from './auto-reply.js';
import { countPersonMessages, findConversationForAnswer } from './email.repository.js';
import { mayAutoAnswer, toInbound } from './email-inbound.js';
import { EmailReaders, type EmailReadersOptions } from './email-readers.js';
import { emailSettings, EmailSettingsError, type EmailSettings } from './email-settings.js';
import { DEFAULT_READER_OPTIONS, MailRejected } from './imap-reader.js';
import { isDomainError } from '../../shared/errors.js';
import { composeOutgoing, sendMail, SmtpTransports, type MailThread, type OutgoingMail } from './outgoing.js';
import type { InboundMail } from './parse-mail.js';

/** Outbox kind of the automatic first answer (payload: the conversation id only). */
export const EMAIL_AUTO_REPLY = 'email.auto-reply';
const PAUSED_RETRY_MS = 60_000;

/** The e-mail channel: IMAP in (one reader per mailbox and installation), SMTP out, threaded. */
export const emailModule: ChannelModule = {
  kinds: ['email'],
  create(ctx) {
    const transports = new SmtpTransports();
    const settingsOf = (account: ChannelAccount): EmailSettings => {
      try {
        return emailSettings(account);
      } catch (err) {
        if (err instanceof EmailSettingsError) throw new PermanentFailure(err.message);
        throw err;
      }
    };
    const send = async (account: ChannelAccount, mail: OutgoingMail): Promise<string> => {
      const settings = settingsOf(account);
      const { message, messageId } = composeOutgoing(settings, mail);
      await sendMail(transports.get(account.id, settings), message);
      return messageId;
    };

    const adapter: ChannelAdapter = {
      kind: 'email',
      async send(account, message: OutboundMessage) {
        const providerMessageId = await send(account, {
          conversationId: message.conversationId,
          contact: message.contact,
          text: message.text,
          thread: message.thread as MailThread | undefined,
          // DiReturn's own notices (not a counsellor's words) are automatic answers.
          automatic: message.messageId.startsWith('notice:'),
        });
        return { providerMessageId };
      },
    };

    ctx.outbox.register<{ conversationId: string }>(EMAIL_AUTO_REPLY, {
      async deliver({ conversationId }) {
        const c = await findConversationForAnswer(ctx.db, conversationId);
        if (!c?.contact || !c.channel_account_id) return; // deleted meanwhile: nobody to answer
        const account = await ctx.accounts.find(c.channel_account_id);
        if (!account) return;
        if (account.status !== 'active') throw new RetryLater('The channel account is paused.', PAUSED_RETRY_MS);
        const thread = c.channel_thread ? (JSON.parse(ctx.keyring.open(c.channel_thread, `thread:${c.id}`)) as MailThread) : undefined;
        await send(account, { conversationId: c.id, contact: ctx.keyring.open(c.contact, `contact:${c.id}`), text: autoReplyText(c.language), thread, automatic: true });
      },
    });

    /** One mail from a reader: into its conversation, and the automatic answer after a person's first mail. */
    const handle = async (account: ChannelAccount, settings: EmailSettings, mail: InboundMail): Promise<void> => {
      const result = await toInbound(account.id, settings, mail, Date.now());
      if ('skip' in result) {
        ctx.logger.info({ accountId: account.id, reason: result.skip }, 'email: a mail was not imported');
        return;
      }
      let stored: Awaited<ReturnType<typeof ctx.inbox.receive>>;
      try {
        stored = await ctx.inbox.receive(result.message);
      } catch (err) {
        // Malformed for the inbox (no retry changes that); a paused account or the database: tried again.
        if (isDomainError(err) && err.code === 'bad_request') throw new MailRejected(err.message);
        throw err;
      }
      if (stored.duplicate || !mayAutoAnswer(mail)) return;
      if ((await countPersonMessages(ctx.db, stored.conversationId)) !== 1) return;
      // After the mail is stored (its own transaction): a crash in between costs the courtesy answer, never the mail.
      await ctx.outbox.enqueue(ctx.db, EMAIL_AUTO_REPLY, { conversationId: stored.conversationId }, { subject: `conversation:${stored.conversationId}` });
      ctx.outbox.kick();
    };

    const readers = new EmailReaders(ctx.db, ctx.accounts, ctx.inbox, handle, ctx.logger, readersOptions(ctx.config.channels.email));
    return {
      adapters: [adapter],
      start: () => readers.start(),
      stop: async () => {
        await readers.stop();
        transports.close();
      },
    };
  },
};

/** The readers' timings from the configuration (config.ts: DIRETURN_EMAIL_*). */
function readersOptions(c: { checkMs: number; leaseMs: number; reconnectMs: number; pollMs: number }): EmailReadersOptions {
  return { checkMs: c.checkMs, leaseMs: c.leaseMs, reader: { ...DEFAULT_READER_OPTIONS, reconnectMinMs: c.reconnectMs, pollMs: c.pollMs } };
}
