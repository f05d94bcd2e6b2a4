import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CHANNEL_FIELDS, CHANNEL_KINDS, type ChannelKind } from '@direturn/protocol';
import { ChannelAccountCreateSchema, parse } from '@direturn/protocol/schemas';
import { AuditService } from '../audit/audit.service.js';
import { ChannelAdapters } from '../channels/adapters.js';
import { ChannelAccountService } from '../channels/channel-account.service.js';
import type { ChannelInbox } from '../channels/channel.js';
import { CHANNEL_MODULES } from '../channels/modules.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { createLogger } from '../logger.js';
import { Outbox } from '../outbox/outbox.service.js';
import { Keyring } from '../security/keyring.js';
import { SiteService } from '../sites/site.service.js';
import { isDomainError } from '../shared/errors.js';

export const CHANNELS_HELP = `  direturn channels list
  direturn channels add KIND --name NAME --site KEY [--setting name=value ...]
      Connects a channel account (KIND: ${CHANNEL_KINDS.join(', ')}) to a site. Secrets never go on the
      command line: each comes from DIRETURN_CHANNEL_<NAME> (botToken: DIRETURN_CHANNEL_BOT_TOKEN) or,
      without it, from standard input (one line each, in the order asked). They are stored encrypted
      and never shown again.
  direturn channels pause ID | resume ID | remove ID
      A paused account stores nothing and sends nothing (providers retry; counsellors cannot reply).
  direturn channels telegram connect ID
      Points the bot's webhook at DIRETURN_PUBLIC_URL/webhooks/telegram/ID with the account's secret token.
  direturn channels whatsapp|messenger|instagram connect ID
      Checks the access token with Meta (and subscribes the app to the page), then prints the callback
      URL and the verify token to enter in the Meta app's webhook settings (docs/channels.md).
      Settings: whatsapp phoneNumberId, templates (name:language, ...); messenger pageId; instagram
      instagramAccountId, pageId. Secrets: appSecret, accessToken.
`;

/** botToken → DIRETURN_CHANNEL_BOT_TOKEN */
export const secretEnvName = (field: string): string => `DIRETURN_CHANNEL_${field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;

/** The CLI has no webhooks: an inbox that is never called (adapters are built here only to connect). */
const NO_INBOX: ChannelInbox = {
  receive: () => Promise.reject(new Error('not in the CLI')),
  greet: () => Promise.reject(new Error('not in the CLI')),
  status: () => Promise.reject(new Error('not in the CLI')),
  recordEvent: () => Promise.resolve(),
  recordError: () => Promise.resolve(),
};

/** `direturn channels …`; returns the exit code. A refusal names what is wrong (the issues, not only the headline). */
export async function channelsCommand(opts: Parameters<typeof command>[0]): Promise<number> {
  try {
    return await command(opts);
  } catch (e) {
    if (isDomainError(e)) return fail(e.issues?.length ? e.issues : [e.message]);
    throw e;
  }
}

async function command(opts: {
  config: Config;
  db: Db;
  action: string | undefined;
  positionals: string[];
  values: { name?: string | undefined; site?: string | undefined; setting?: string[] | undefined };
}): Promise<number> {
  const { config, db, action, positionals, values } = opts;
  const keyring = Keyring.load({ envKeys: config.encryptionKey, dataDir: config.dataDir });
  const adapters = new ChannelAdapters();
  const accounts = new ChannelAccountService(db, keyring, adapters, config.publicUrl, new AuditService(db));
  // Modules are created, never started: their outbox handlers are registered on an outbox that never runs.
  const logger = createLogger('silent');
  const outbox = new Outbox(db, logger);
  for (const m of CHANNEL_MODULES) for (const a of m.create({ inbox: NO_INBOX, accounts, logger, config, db, outbox, keyring }).adapters) adapters.register(a);

  if (action === 'list') {
    for (const a of await accounts.list()) {
      const health = [a.lastEventAt ? `last event ${new Date(a.lastEventAt).toISOString()}` : 'no event yet', a.lastError ? `last error ${new Date(a.lastErrorAt!).toISOString()}: ${a.lastError}` : ''].filter(Boolean).join('; ');
      process.stdout.write(`${a.id}\t${a.kind}\t${a.name}\t${a.siteName}\t${a.status}\t${health}\n`);
    }
    return 0;
  }
  if (action === 'add') {
    const kind = positionals[0] as ChannelKind | undefined;
    if (!kind || !CHANNEL_KINDS.includes(kind)) return fail([`Usage: direturn channels add KIND --name NAME --site KEY (KIND: ${CHANNEL_KINDS.join(', ')})`]);
    const site = (await new SiteService(db).list()).find((s) => s.key === values.site);
    if (!site) return fail([values.site ? `No site with key ${values.site}.` : 'Name the site: --site KEY (see direturn sites list).']);
    const settings: Record<string, string> = {};
    for (const s of values.setting ?? []) {
      const i = s.indexOf('=');
      if (i < 1) return fail([`--setting "${s}": write it as name=value.`]);
      settings[s.slice(0, i)] = s.slice(i + 1);
    }
    const secrets: Record<string, string> = {};
    const fromStdin = CHANNEL_FIELDS[kind].filter((f) => f.secret && !process.env[secretEnvName(f.name)]);
    const lines = fromStdin.length ? await readLines(fromStdin.map((f) => `${f.name} (or set ${secretEnvName(f.name)}): `)) : [];
    for (const f of CHANNEL_FIELDS[kind].filter((f) => f.secret)) {
      const value = process.env[secretEnvName(f.name)] ?? lines[fromStdin.indexOf(f)];
      if (value) secrets[f.name] = value.trim();
    }
    const input = parse(ChannelAccountCreateSchema, { kind, name: values.name, siteId: site.id, settings, secrets });
    if (!input.ok) return fail(input.issues);
    const account = await accounts.create(null, input.value);
    const next = account.webhookUrl ? `\nNext: direturn channels ${kind} connect ${account.id}\n  (the provider will post to ${account.webhookUrl})\n` : '\n';
    process.stdout.write(`Channel account "${account.name}" (${kind}) added for site ${site.key}: ${account.id}${next}`);
    return 0;
  }
  if (action === 'pause' || action === 'resume' || action === 'remove') {
    const id = positionals[0];
    if (!id) return fail([`Usage: direturn channels ${action} ID`]);
    if (action === 'remove') {
      await accounts.remove(null, id);
      process.stdout.write(`Channel account ${id} removed. Its conversations stay until retention deletes them.\n`);
      return 0;
    }
    const a = await accounts.setStatus(null, id, action === 'pause' ? 'paused' : 'active');
    process.stdout.write(`Channel account "${a.name}" is ${a.status}.\n`);
    return 0;
  }
  // `channels telegram connect ID` (and `channels connect ID` for any kind that has it).
  const [maybeAction, id] = action === 'connect' ? ['connect', positionals[0]] : [positionals[0], positionals[1]];
  if (maybeAction === 'connect') {
    if (!id) return fail(['Usage: direturn channels telegram connect ID']);
    const current = await accounts.get(id);
    if (action !== 'connect' && action !== current.kind) return fail([`${id} is a ${current.kind} account, not ${action}.`]);
    const a = await accounts.connect(null, id);
    if (a.settings.verifyToken) {
      // Meta: the admin enters both in the app's webhook settings; Meta then calls the URL to check.
      process.stdout.write(`Connected: ${a.kind} account "${a.name}" reaches Meta.\nAt Meta, enter as the webhook:\n  Callback URL: ${a.webhookUrl}\n  Verify token: ${a.settings.verifyToken}\n`);
      return 0;
    }
    process.stdout.write(`Connected: ${a.kind} now posts to ${a.webhookUrl}${a.settings.botUsername ? ` (bot @${a.settings.botUsername})` : ''}.\n`);
    return 0;
  }
  process.stderr.write(`Unknown command "channels ${[action, ...positionals].filter(Boolean).join(' ')}".\n\n${CHANNELS_HELP}`);
  return 2;
}

/**
 * One line per prompt from standard input (piped, or typed: then prompted on stderr and not echoed,
 * so a token never shows on the screen or in the shell history).
 */
async function readLines(prompts: string[]): Promise<string[]> {
  const typed = process.stdin.isTTY === true;
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, ...(typed ? { output: silent, terminal: true } : { terminal: false }) });
  const it = rl[Symbol.asyncIterator]();
  const out: string[] = [];
  try {
    for (const prompt of prompts) {
      if (typed) process.stderr.write(prompt);
      const next = await it.next();
      if (typed) process.stderr.write('\n');
      out.push(next.done ? '' : String(next.value));
    }
  } finally {
    rl.close();
  }
  return out;
}

function fail(issues: string[]): number {
  process.stderr.write(`Not done:\n  ${issues.join('\n  ')}\n`);
  return 1;
}
