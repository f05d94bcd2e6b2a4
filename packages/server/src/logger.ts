import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Never pass message bodies, tokens, passwords or IP addresses here:
 * the redact list is a second line of defence, not the first.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'direturn' },
    redact: { paths: ['body', '*.body', 'token', '*.token', 'password', '*.password', 'ip', '*.ip', 'cookie', '*.cookie'], censor: '[redacted]' },
  });
}
