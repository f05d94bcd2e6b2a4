#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { AuditService } from '../audit/audit.service.js';
import { loadExamples, parseExchange } from '../knowledge/examples.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { embedSnippet, WEEKDAYS } from '@direturn/protocol';
import { AgentInputSchema, PrivacyOverrideSchema, SiteInputSchema, SiteUpdateSchema, parse } from '@direturn/protocol/schemas';
import { Keyring, KeyringError, KEY_FILE_NAME } from '../security/keyring.js';
import { keysInUse, reencryptAll } from '../security/rotate.js';
import { SettingsService } from '../settings/settings.service.js';
import { AgentService } from '../agents/agent.service.js';
import { loadConfig } from '../config.js';
import { openStorage, StorageError } from '../db/database.js';
import { copyToPostgres, CopyError } from '../db/copy-to-postgres.js';
import { describeUrl } from '../db/dialects/postgres.js';
import { migrateToLatest } from '../db/migrate.js';
import { isDomainError } from '../shared/errors.js';
import { SiteService } from '../sites/site.service.js';
import { channelsCommand, CHANNELS_HELP } from './channels.js';

const HELP = `direturn: manage a DiReturn installation (uses DIRETURN_DATABASE_URL, else DIRETURN_DATA_DIR, default ./data)

  direturn migrate
      Brings the database schema up to date (the server also does at start unless DIRETURN_MIGRATE=check).
  direturn copy-to-postgres --to postgres://user@host:5432/db
      Copies the SQLite installation in DIRETURN_DATA_DIR to an empty PostgreSQL database (--to
      defaults to DIRETURN_DATABASE_URL), in one transaction, and compares row counts per table.
      Stop the server first. Messages stay encrypted: keep using the same key (encryption.key or
      DIRETURN_ENCRYPTION_KEY). See docs/deploy.md.

  direturn sites list
  direturn sites add --name NAME --origin https://partner.example [--origin ...] [--language de] [--start home|chat]
  direturn sites start KEY home|chat
      The widget's first view: home (write to a counsellor, find information, …) or the chat alone.
  direturn sites edit KEY [--name NAME] [--origin https://… ...] [--language de] [--start home|chat]
                          [--enable | --disable] [--time-zone Europe/Berlin]
                          [--hours always | --hours "mon=09:00-12:00,13:00-17:00" --hours "fri=09:00-14:00" ...]
                          [--away "de=Text" ...]
      Changes only what is named. --origin replaces the list; --hours replaces the whole week (days
      not named are closed); --away sets the away message of one language ("de=" restores the built-in one).
  direturn sites remove KEY
      Removes a site without conversations (a site with conversations can only be disabled).
  The embed snippet uses DIRETURN_PUBLIC_URL: set it to the address partner pages load the widget from.
  direturn agents list
  direturn agents add --email E --name NAME [--role counsellor|admin] [--language de --language ar ...]
      The password comes from DIRETURN_AGENT_PASSWORD (at least 12 characters);
      without it a random one is generated and printed once.
  direturn agents reset-password EMAIL
      Prints a one-time password (once) that the agent must replace at the next login; every
      session of the agent ends.
  direturn backup FILE
      A consistent copy of the database, also while the server runs (SQLite online backup).
      The encryption key is NOT in it: keep a copy of encryption.key (or DIRETURN_ENCRYPTION_KEY) apart.
  direturn keys status
  direturn keys rotate
      Adds a new key to encryption.key (used from now on, also by a running server) and re-encrypts
      every message with it. With DIRETURN_ENCRYPTION_KEY: put the new key first, restart, then rotate.
  direturn keys prune
      Removes keys from encryption.key that no stored value uses any more.
  direturn knowledge export [FILE]
      Writes every article (all languages, their latest text and review status) as JSON, to FILE or stdout.
  direturn knowledge import FILE [--publish]
  direturn knowledge import --examples [--publish]
      Creates or updates articles by slug from a JSON file (or the example articles that ship with
      DiReturn, marked as example content). A changed text gets a new version; texts marked
      "published" in the file are published, with --publish every imported text is.
  direturn privacy list
  direturn privacy set --language de [--site KEY] --text TEXT [--link "Label=https://..." ...]
      Overrides the privacy notice the widget shows ({days} = retention period).
${CHANNELS_HELP}`;

async function run(argv: string[]): Promise<number> {
  const [resource, action, ...rest] = argv;
  if (!resource || resource === '--help' || resource === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const { values, positionals } = parseArgs({
    // `copy-to-postgres` has no action word: its options start right after it.
    args: resource === 'copy-to-postgres' ? argv.slice(1) : rest,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      language: { type: 'string', multiple: true },
      email: { type: 'string' },
      role: { type: 'string' },
      site: { type: 'string' },
      text: { type: 'string' },
      link: { type: 'string', multiple: true },
      examples: { type: 'boolean' },
      start: { type: 'string' },
      enable: { type: 'boolean' },
      disable: { type: 'boolean' },
      'time-zone': { type: 'string' },
      hours: { type: 'string', multiple: true },
      away: { type: 'string', multiple: true },
      publish: { type: 'boolean' },
      setting: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig();
  if (resource === 'backup') {
    const target = action ? resolve(action) : undefined;
    if (!target) return fail(['Name the backup file: direturn backup FILE']);
    if (existsSync(target)) return fail([`${target} exists already; choose a new file name.`]);
    if (config.databaseUrl) return fail(['DIRETURN_DATABASE_URL is set: back up PostgreSQL with pg_dump (see docs/deploy.md).']);
    if (!existsSync(config.databaseFile)) return fail([`No database at ${config.databaseFile}.`]);
    const source = new SQLite(config.databaseFile, { readonly: true, fileMustExist: true });
    try {
      // Private from the start: SQLite copies the source's mode only to files it names itself.
      closeSync(openSync(target, 'wx', 0o600));
      await source.backup(target);
    } finally {
      source.close();
    }
    process.stdout.write(`Backup written to ${target}.\nIt does not contain the encryption key: keep ${config.encryptionKey ? 'DIRETURN_ENCRYPTION_KEY' : resolve(config.dataDir, KEY_FILE_NAME)} safe and apart from it.\n`);
    return 0;
  }
  if (resource === 'copy-to-postgres') return copyCommand(config, values.to);
  if (resource === 'migrate') {
    const storage = await openStorage(config, { migrate: 'none' });
    try {
      const applied = await migrateToLatest(storage.db);
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database schema was up to date already.\n');
      return 0;
    } finally {
      await storage.close();
    }
  }
  const storage = await openStorage(config);
  const { db } = storage;
  try {
    if (resource === 'sites' && action === 'list') {
      for (const s of await new SiteService(db).list()) {
        process.stdout.write(`${s.key}\t${s.name}\t${s.allowedOrigins.join(' ')}\t${s.defaultLanguage}\t${s.enabled ? 'enabled' : 'disabled'}\n`);
      }
      return 0;
    }
    if (resource === 'sites' && action === 'add') {
      const input = parse(SiteInputSchema, { name: values.name, allowedOrigins: values.origin ?? [], defaultLanguage: values.language?.[0], startView: values.start });
      if (!input.ok) return fail(input.issues);
      const site = await new SiteService(db, { audit: new AuditService(db) }).create(input.value, undefined, null);
      process.stdout.write(`Site "${site.name}" registered. Embed the widget with:\n\n  ${embedSnippet(config.publicUrl, site.key)}\n${publicUrlHint(config)}`);
      return 0;
    }
    if (resource === 'sites' && (action === 'edit' || action === 'remove')) {
      const key = positionals[0];
      if (!key) return fail([`Usage: direturn sites ${action} KEY${action === 'edit' ? ' [options]' : ''}`]);
      const settings = await SettingsService.load(db, { retentionDays: config.retentionDays, requireTotp: config.requireTotp });
      const sites = new SiteService(db, { audit: new AuditService(db), settings });
      if (action === 'remove') {
        await sites.remove(key, null);
        process.stdout.write(`Site ${key} removed.\n`);
        return 0;
      }
      const changes = siteChanges(values);
      if (!changes.ok) return fail(changes.issues);
      // --away changes the languages it names; the others keep their messages.
      if (changes.value.awayMessages) {
        const current = (await sites.list()).find((s) => s.key === key)?.awayMessages ?? {};
        changes.value.awayMessages = { ...current, ...(changes.value.awayMessages as Record<string, string>) };
      }
      const input = parse(SiteUpdateSchema, changes.value);
      if (!input.ok) return fail(input.issues);
      if (Object.keys(input.value).length === 0) return fail(['Name at least one change (see direturn sites --help).']);
      const site = await sites.update(key, input.value, null);
      process.stdout.write(`Site "${site.name}" (${site.key}) saved: ${site.enabled ? 'enabled' : 'disabled'}, ${site.openingHours ? `opening hours in ${site.timeZone}` : 'always open'}.\n`);
      return 0;
    }
    if (resource === 'sites' && action === 'start') {
      const [key, view] = positionals;
      if (!key || (view !== 'home' && view !== 'chat')) return fail(['Usage: direturn sites start KEY home|chat']);
      if (!(await new SiteService(db).setStartView(key, view))) return fail([`No site with key ${key}.`]);
      process.stdout.write(`The widget of ${key} now opens with the ${view === 'home' ? 'home view' : 'chat'}.\n`);
      return 0;
    }
    if (resource === 'agents' && action === 'list') {
      for (const a of await new AgentService(db).list()) process.stdout.write(`${a.email}\t${a.name}\t${a.role}\t${a.languages.join(',')}\n`);
      return 0;
    }
    if (resource === 'agents' && action === 'add') {
      const generated = process.env.DIRETURN_AGENT_PASSWORD ? undefined : randomBytes(12).toString('base64url');
      const input = parse(AgentInputSchema, {
        email: values.email,
        name: values.name,
        role: values.role,
        languages: values.language,
        password: process.env.DIRETURN_AGENT_PASSWORD ?? generated,
      });
      if (!input.ok) return fail(input.issues);
      const agent = await new AgentService(db).create(input.value);
      process.stdout.write(`Agent ${agent.email} (${agent.role}) added.${generated ? ` Password (shown once): ${generated}` : ''}\n`);
      return 0;
    }
    if (resource === 'agents' && action === 'reset-password') {
      const email = positionals[0];
      if (!email) return fail(['Usage: direturn agents reset-password EMAIL']);
      const agents = new AgentService(db, new AuditService(db));
      const agent = await agents.findByEmail(email);
      if (!agent) return fail([`No agent with the e-mail address ${email}.`]);
      const { oneTimePassword } = await agents.resetPassword(null, agent.id);
      process.stdout.write(
        `One-time password for ${agent.email} (shown once): ${oneTimePassword}\n` +
          `${agent.name} must choose a new password at the next login. Their sessions have ended.\n`,
      );
      return 0;
    }
    if (resource === 'keys') {
      const keyring = Keyring.load({ envKeys: config.encryptionKey, dataDir: config.dataDir });
      if (action === 'status') {
        const inUse = await keysInUse(db);
        process.stdout.write(`current key: ${keyring.currentKeyId}\nconfigured:  ${keyring.keyIds.join(' ')}\n`);
        for (const [kid, n] of inUse) process.stdout.write(`  ${kid}\t${n} values\n`);
        return 0;
      }
      if (action === 'rotate') {
        if (keyring.fromFile) process.stdout.write(`New key ${keyring.addKeyToFile()} added to ${resolve(config.dataDir, KEY_FILE_NAME)}.\n`);
        const { messages, pages, failed } = await reencryptAll(db, keyring);
        process.stdout.write(`Re-encrypted ${messages} messages and ${pages} page addresses with key ${keyring.currentKeyId}.\n`);
        if (failed) return fail([`${failed} values (messages or page addresses) are sealed with a key that is not configured; they were left as they are.`]);
        return 0;
      }
      if (action === 'prune') {
        const removed = keyring.pruneKeyFile(new Set((await keysInUse(db)).keys()));
        process.stdout.write(removed.length ? `Removed keys: ${removed.join(' ')}\n` : 'No unused keys.\n');
        return 0;
      }
    }
    if (resource === 'knowledge') {
      const knowledge = new KnowledgeService(db, new AuditService(db));
      if (action === 'export') {
        const json = `${JSON.stringify(await knowledge.exportAll(), null, 2)}\n`;
        const target = positionals[0];
        if (!target) {
          process.stdout.write(json);
          return 0;
        }
        if (existsSync(resolve(target))) return fail([`${resolve(target)} exists already; choose a new file name.`]);
        writeFileSync(resolve(target), json);
        process.stderr.write(`Articles written to ${resolve(target)}.\n`);
        return 0;
      }
      if (action === 'import') {
        let file;
        if (values.examples) file = loadExamples();
        else {
          const source = positionals[0];
          if (!source) return fail(['Name the file to import: direturn knowledge import FILE (or --examples)']);
          let json: unknown;
          try {
            json = JSON.parse(readFileSync(resolve(source), 'utf8'));
          } catch (e) {
            return fail([`${resolve(source)} cannot be read as JSON: ${(e as Error).message.split('\n')[0]}`]);
          }
          const parsed = parseExchange(json);
          if (!parsed.ok) return fail(parsed.issues);
          file = parsed.value;
        }
        const r = await knowledge.importAll(file, { by: null, publishAll: values.publish ?? false });
        process.stdout.write(`Imported ${file.articles.length} articles: ${r.created} new, ${r.updated} updated, ${r.versions} new versions.\n`);
        return 0;
      }
    }
    if (resource === 'channels') return await channelsCommand({ config, db, action, positionals, values: { name: values.name, site: values.site, setting: values.setting } });
    if (resource === 'privacy') {
      const settings = await SettingsService.load(db, { retentionDays: config.retentionDays, requireTotp: config.requireTotp });
      const sites = await new SiteService(db).list();
      if (action === 'list') {
        for (const o of settings.listPrivacyOverrides()) {
          const site = o.siteId ? (sites.find((s) => s.id === o.siteId)?.key ?? o.siteId) : '*';
          process.stdout.write(`${site}\t${o.language}\t${JSON.stringify(o.text)}\t${o.links.map((l) => `${l.label}=${l.url}`).join(' ')}\n`);
        }
        return 0;
      }
      if (action === 'set') {
        const site = values.site ? sites.find((s) => s.key === values.site) : undefined;
        if (values.site && !site) return fail([`No site with key ${values.site}.`]);
        const links = (values.link ?? []).map((l) => {
          const i = l.indexOf('=');
          return { label: l.slice(0, i), url: l.slice(i + 1) };
        });
        const input = parse(PrivacyOverrideSchema, { siteId: site?.id ?? null, language: values.language?.[0], text: values.text, links });
        if (!input.ok) return fail(input.issues);
        await settings.setPrivacyOverride(input.value);
        process.stdout.write(`Privacy notice for ${site ? site.name : 'all sites'} (${input.value.language}) saved.\n`);
        return 0;
      }
    }
    process.stderr.write(`Unknown command "${argv.join(' ')}".\n\n${HELP}`);
    return 2;
  } catch (e) {
    if (isDomainError(e) || e instanceof KeyringError) return fail([e.message]);
    throw e;
  } finally {
    await storage.close();
  }
}

async function copyCommand(config: ReturnType<typeof loadConfig>, to: string | undefined): Promise<number> {
  const targetUrl = to ?? config.databaseUrl;
  if (!targetUrl) return fail(['Name the target: direturn copy-to-postgres --to postgres://user@host:5432/db (or set DIRETURN_DATABASE_URL)']);
  if (!/^postgres(ql)?:\/\/\S+$/.test(targetUrl) || !URL.canParse(targetUrl)) return fail(['--to must be a postgres:// URL']);
  process.stdout.write(`Copying ${config.databaseFile} to PostgreSQL at ${describeUrl(targetUrl)}\n`);
  // The table's head once the checks have passed and the first table is in.
  let head = `\n  ${'table'.padEnd(22)}${'SQLite'.padStart(10)}${'PostgreSQL'.padStart(12)}\n`;
  try {
    await copyToPostgres({
      sqliteFile: config.databaseFile,
      targetUrl,
      keys: { envKeys: config.encryptionKey, dataDir: config.dataDir },
      onTable: (r) => {
        process.stdout.write(`${head}  ${r.table.padEnd(22)}${String(r.sqlite).padStart(10)}${String(r.postgres).padStart(12)}\n`);
        head = '';
      },
    });
  } catch (e) {
    if (e instanceof CopyError || e instanceof StorageError || e instanceof KeyringError) return fail([e.message]);
    throw e;
  }
  const key = config.encryptionKey ? 'the same DIRETURN_ENCRYPTION_KEY' : `the same key file, ${resolve(config.dataDir, KEY_FILE_NAME)} (in the DIRETURN_DATA_DIR of every DiReturn process)`;
  process.stdout.write(
    `\nDone: every table has as many rows on PostgreSQL as on SQLite.\n` +
      `Messages, page addresses and two-factor secrets were copied encrypted, as they were: DiReturn on PostgreSQL reads them only with ${key}.\n` +
      `Next: set DIRETURN_DATABASE_URL to this database and start DiReturn. Keep ${config.databaseFile} as a backup until you have checked.\n`,
  );
  return 0;
}

/** Without DIRETURN_PUBLIC_URL the address is this shell's guess (localhost and its PORT): say so. */
function publicUrlHint(config: ReturnType<typeof loadConfig>): string {
  return process.env.DIRETURN_PUBLIC_URL
    ? ''
    : `\nDIRETURN_PUBLIC_URL is not set in this shell, so the snippet names ${config.publicUrl}. Set it to the server's public address (as the server has it) and run "direturn sites list" to see the key again.\n`;
}

/** `sites edit` options → a SiteUpdate body (validated by SiteUpdateSchema afterwards). */
function siteChanges(values: Record<string, unknown>): { ok: true; value: Record<string, unknown> } | { ok: false; issues: string[] } {
  const out: Record<string, unknown> = {};
  const list = (k: string) => (values[k] as string[] | undefined) ?? undefined;
  if (values.name !== undefined) out.name = values.name;
  if (list('origin')) out.allowedOrigins = list('origin');
  if (list('language')) out.defaultLanguage = list('language')![0];
  if (values.start !== undefined) out.startView = values.start;
  if (values.enable && values.disable) return { ok: false, issues: ['--enable and --disable exclude each other.'] };
  if (values.enable) out.enabled = true;
  if (values.disable) out.enabled = false;
  if (values['time-zone'] !== undefined) out.timeZone = values['time-zone'];
  const hours = list('hours');
  if (hours) {
    if (hours.length === 1 && hours[0] === 'always') out.openingHours = null;
    else {
      const week: Record<string, Array<{ from: string; to: string }>> = {};
      for (const h of hours) {
        const m = /^([a-z]{3})=(.*)$/.exec(h.trim());
        if (!m || !(WEEKDAYS as readonly string[]).includes(m[1]!)) return { ok: false, issues: [`--hours "${h}": write it as mon=09:00-12:00,13:00-17:00 (days: ${WEEKDAYS.join(' ')}) or "always".`] };
        week[m[1]!] = m[2]!.split(',').filter(Boolean).map((p) => {
          const [from = '', to = ''] = p.split('-');
          return { from: from.trim(), to: to.trim() };
        });
      }
      out.openingHours = week;
    }
  }
  const away = list('away');
  if (away) {
    const messages: Record<string, string> = {};
    for (const a of away) {
      const i = a.indexOf('=');
      if (i < 1) return { ok: false, issues: [`--away "${a}": write it as de=Text.`] };
      messages[a.slice(0, i)] = a.slice(i + 1);
    }
    out.awayMessages = messages;
  }
  return { ok: true, value: out };
}

function fail(issues: string[]): number {
  process.stderr.write(`Not done:\n  ${issues.join('\n  ')}\n`);
  return 1;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    // One line for the operator, never a stack trace.
    process.stderr.write(`${e.message.split('\n')[0]}\n`);
    process.exit(1);
  },
);
