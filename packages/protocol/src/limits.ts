/** Size limits enforced by the server and respected by the clients. */
export const LIMITS = {
  /** Characters in one message body (after trimming). */
  messageMaxChars: 4000,
  /** Bytes in one WebSocket frame; larger frames are refused before parsing. */
  frameMaxBytes: 16 * 1024,
  /** Bytes in one JSON request body of the REST API. */
  httpBodyMaxBytes: 16 * 1024,
  clientIdMaxChars: 64,
  pageUrlMaxChars: 2048,
  tokenMaxChars: 128,
  /** Characters in a staff password (NIST SP 800-63B: at least 8, we ask 12; allow long passphrases). */
  passwordMinChars: 12,
  passwordMaxChars: 1024,
} as const;
