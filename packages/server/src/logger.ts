import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Never pass message bodies, tokens, passwords or IP addresses here:
 * the redact list is a second line of defence, not the first.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'direturn' },
    redact: {
      paths: ['body', '*.body', 'token', '*.token', 'password', '*.password', 'ip', '*.ip', 'cookie', '*.cookie', 'secret', '*.secret', 'code', '*.code'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
