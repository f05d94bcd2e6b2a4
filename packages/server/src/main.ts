#!/usr/bin/env node
import { startServer } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

let config;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
const logger = createLogger(config.logLevel);
const running = await startServer(config, logger);
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
