#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AgentInputSchema, SiteInputSchema, parse } from '@direturn/protocol/schemas';
import { AgentService } from '../agents/agent.service.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { isDomainError } from '../shared/errors.js';
import { SiteService } from '../sites/site.service.js';

const HELP = `direturn: manage a DiReturn installation (uses DIRETURN_DATA_DIR, default ./data)

  direturn sites list
  direturn sites add --name NAME --origin https://partner.example [--origin ...] [--language de]
  direturn agents list
  direturn agents add --email E --name NAME [--role counsellor|admin] [--language de --language ar ...]
      The password comes from DIRETURN_AGENT_PASSWORD (at least 12 characters);
      without it a random one is generated and printed once.
`;

async function run(argv: string[]): Promise<number> {
  const [resource, action, ...rest] = argv;
  if (!resource || resource === '--help' || resource === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      language: { type: 'string', multiple: true },
      email: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig();
  const { db } = await openDatabase(config.databaseFile);
  try {
    if (resource === 'sites' && action === 'list') {
      for (const s of await new SiteService(db).list()) {
        process.stdout.write(`${s.key}\t${s.name}\t${s.allowedOrigins.join(' ')}\t${s.defaultLanguage}\n`);
      }
      return 0;
    }
    if (resource === 'sites' && action === 'add') {
      const input = parse(SiteInputSchema, { name: values.name, allowedOrigins: values.origin ?? [], defaultLanguage: values.language?.[0] });
      if (!input.ok) return fail(input.issues);
      const site = await new SiteService(db).create(input.value);
      process.stdout.write(
        `Site "${site.name}" registered. Embed the widget with:\n\n  <script type="module" src="${config.publicUrl}/widget.js" data-site="${site.key}"></script>\n`,
      );
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
    process.stderr.write(`Unknown command "${argv.join(' ')}".\n\n${HELP}`);
    return 2;
  } catch (e) {
    if (isDomainError(e)) return fail([e.message]);
    throw e;
  } finally {
    await db.destroy();
  }
}

function fail(issues: string[]): number {
  process.stderr.write(`Not done:\n  ${issues.join('\n  ')}\n`);
  return 1;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  },
);
