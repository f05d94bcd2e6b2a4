import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Nonces are cut from 4 KB of CSPRNG output at a time: one call per 341 nonces instead of one
// per message (it showed in the bench profile). A slice is never handed out twice.
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;
function freshNonce(): Buffer {
  if (nonceOffset + 12 > noncePool.length) {
    noncePool = randomBytes(4092);
    nonceOffset = 0;
  }
  return noncePool.subarray(nonceOffset, (nonceOffset += 12));
}

/**
 * Encryption at rest for message bodies (and TOTP secrets): AES-256-GCM, a fresh 12-byte nonce per
 * value, the row's id as additional data (a ciphertext moved to another row does not decrypt).
 *
 * Stored format: `enc1.<keyId>.<nonce b64url>.<ciphertext+tag b64url>`. The key id is the first 8
 * characters of the key's sha256 (base64url), so old values name the key they need.
 *
 * Keys come from `DIRETURN_ENCRYPTION_KEY` (base64 of 32 bytes; several comma-separated: the first
 * encrypts, all decrypt) or else from `<dataDir>/encryption.key` (created with mode 0600 on first
 * start; one base64 key per line, the LAST line encrypts). `direturn keys rotate` appends a key to
 * the file; a running server notices the file changed and adopts it, so rotation works online.
 */
export const KEY_FILE_NAME = 'encryption.key';
const PREFIX = 'enc1';

export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('base64url').slice(0, 8);

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${where}: an encryption key must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return key;
}

export class KeyringError extends Error {}

export class Keyring {
  private keys = new Map<string, Buffer>();
  private currentId = '';
  private fileMtimeMs = 0;
  private lastCheck = 0;

  private constructor(private readonly file: string | undefined) {}

  /** From the environment, or the data dir's key file (created if missing). */
  static load(opts: { envKeys?: string | undefined; dataDir: string }): Keyring {
    if (opts.envKeys && opts.envKeys.trim()) {
      const ring = new Keyring(undefined);
      ring.install(opts.envKeys.split(',').map((k) => decodeKey(k, 'DIRETURN_ENCRYPTION_KEY')), 0);
      return ring;
    }
    const file = join(opts.dataDir, KEY_FILE_NAME);
    if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    const ring = new Keyring(file);
    ring.reloadFile();
    return ring;
  }

  /** For tests and tools: a ring of given keys, the first encrypting. */
  static of(keys: Buffer[]): Keyring {
    const ring = new Keyring(undefined);
    ring.install(keys, 0);
    return ring;
  }

  get fromFile(): boolean {
    return this.file !== undefined;
  }

  get currentKeyId(): string {
    this.maybeReload();
    return this.currentId;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  private install(keys: Buffer[], currentIndex: number): void {
    if (keys.length === 0) throw new Error('no encryption key');
    this.keys = new Map(keys.map((k) => [keyIdOf(k), k]));
    this.currentId = keyIdOf(keys[currentIndex < 0 ? keys.length + currentIndex : currentIndex]!);
  }

  private reloadFile(): void {
    const file = this.file!;
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600); // never readable by others, even if copied carelessly
    const lines = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    this.install(lines.map((l, i) => decodeKey(l, `${file} line ${i + 1}`)), -1);
    this.fileMtimeMs = statSync(file).mtimeMs;
  }

  /** A key file changed by `direturn keys rotate` is picked up within a second. */
  private maybeReload(force = false): void {
    if (!this.file) return;
    const now = Date.now();
    if (!force && now - this.lastCheck < 1000) return;
    this.lastCheck = now;
    try {
      if (statSync(this.file).mtimeMs !== this.fileMtimeMs) this.reloadFile();
    } catch {
      /* keep the keys we have */
    }
  }

  /** Appends a fresh key to the key file; it encrypts from now on. @returns its id */
  addKeyToFile(): string {
    if (!this.file) throw new KeyringError('Keys come from DIRETURN_ENCRYPTION_KEY: put the new key first in that variable instead.');
    const key = randomBytes(32);
    const existing = readFileSync(this.file, 'utf8');
    writeFileSync(this.file, `${existing.endsWith('\n') || !existing ? existing : `${existing}\n`}${key.toString('base64')}\n`, { mode: 0o600 });
    this.reloadFile();
    return keyIdOf(key);
  }

  /** Rewrites the key file with only the given key ids (current stays last). */
  pruneKeyFile(keep: Set<string>): string[] {
    if (!this.file) throw new KeyringError('Keys come from DIRETURN_ENCRYPTION_KEY: remove old keys from that variable instead.');
    keep.add(this.currentId);
    const removed = this.keyIds.filter((id) => !keep.has(id));
    const lines = [...this.keys.entries()].filter(([id]) => keep.has(id) && id !== this.currentId).map(([, k]) => k.toString('base64'));
    lines.push(this.keys.get(this.currentId)!.toString('base64'));
    writeFileSync(this.file, `${lines.join('\n')}\n`, { mode: 0o600 });
    this.reloadFile();
    return removed;
  }

  /**
   * A key for another purpose (signing device cookies), derived from the current encryption key
   * with HKDF: every process of an installation holds the same one without storing it anywhere,
   * and a key rotation replaces it.
   */
  derive(purpose: string): Buffer {
    this.maybeReload();
    return Buffer.from(hkdfSync('sha256', this.keys.get(this.currentId)!, Buffer.alloc(0), `direturn:${purpose}`, 32));
  }

  /**
   * `derive(purpose)` under every configured key, the current one first: a keyed lookup hash made
   * before a rotation is still found (and `direturn keys rotate` rewrites it under the new key).
   */
  deriveAll(purpose: string): Buffer[] {
    this.maybeReload();
    const ids = [this.currentId, ...this.keyIds.filter((id) => id !== this.currentId)];
    return ids.map((id) => Buffer.from(hkdfSync('sha256', this.keys.get(id)!, Buffer.alloc(0), `direturn:${purpose}`, 32)));
  }

  seal(plaintext: string, aad: string): string {
    this.maybeReload();
    const key = this.keys.get(this.currentId)!;
    const nonce = freshNonce();
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.currentId}.${nonce.toString('base64url')}.${ct.toString('base64url')}`;
  }

  /** The key id a stored value was sealed with, or null for legacy plaintext. */
  static keyIdOfValue(stored: string): string | null {
    return stored.startsWith(`${PREFIX}.`) ? (stored.split('.')[1] ?? null) : null;
  }

  open(stored: string, aad: string): string {
    if (!stored.startsWith(`${PREFIX}.`)) return stored; // written before encryption existed; `keys rotate` seals it
    const [, kid, nonce, data] = stored.split('.');
    let key = this.keys.get(kid ?? '');
    if (!key) {
      this.maybeReload(true);
      key = this.keys.get(kid ?? '');
    }
    if (!key || !nonce || !data) throw new KeyringError(`No encryption key with id ${kid} is configured.`);
    const buf = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(buf.subarray(buf.length - 16));
    return Buffer.concat([decipher.update(buf.subarray(0, buf.length - 16)), decipher.final()]).toString('utf8');
  }
}
