#!/usr/bin/env node
import { startServer } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

/**
 * What the operator must fix, as one line (a process manager may keep only the last one): a
 * message of several lines (one per configuration issue) is joined. Never a stack trace.
 */
function oneLine(e: unknown): string {
  const [first = '', ...rest] = String((e as Error | undefined)?.message ?? e)
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return (rest.length ? `${first} ${rest.join('; ')}` : first).slice(0, 1000);
}

let config;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(`${oneLine(e)}\n`);
  process.exit(1);
}
const logger = createLogger(config.logLevel);
let running;
try {
  running = await startServer(config, logger);
} catch (e) {
  // A database that cannot be reached or is of another schema, a rejected first admin password.
  process.stderr.write(`DiReturn could not start: ${oneLine(e)}\n`);
  process.exit(1);
}
process.stdout.write(
  `\n  DiReturn runs on ${config.publicUrl}\n    demo partner page: ${config.demo ? `${config.publicUrl}/demo/` : '(off; DIRETURN_DEMO=true turns it on)'}\n` +
    `    agent console:     ${config.publicUrl}/console/\n\n`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ err: { message: err.message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
