import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FILE_NAME, type Keyring } from '../security/keyring.js';

/** Every file of the data directory but the key, as bytes: the database, its WAL, shm and any journal. */
export function rawDataFiles(dataDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dataDir)) if (name !== KEY_FILE_NAME) files.set(name, readFileSync(join(dataDir, name)));
  return files;
}

const SEALED = /enc1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}/g;

/**
 * What someone holding a copy of the data directory (key file included) could still recover:
 * plaintext `identifiers` found in any file, and sealed values found in any file that still
 * decrypt under one of `aads` (e.g. `message:<id>`, `page:<conversationId>`).
 */
export function recoverable(dataDir: string, keyring: Keyring, identifiers: string[], aads: string[]): string[] {
  const found: string[] = [];
  for (const [name, bytes] of rawDataFiles(dataDir)) {
    const text = bytes.toString('latin1');
    for (const id of identifiers) if (text.includes(id)) found.push(`${name}: ${id}`);
    for (const match of text.match(SEALED) ?? []) {
      // The bytes after a value in its record may look like base64url too: try each length.
      const base = match.lastIndexOf('.') + 1;
      for (const aad of aads) {
        for (let end = match.length; end >= base + 22; end--) {
          try {
            keyring.open(match.slice(0, end), aad);
            found.push(`${name}: a ciphertext of ${aad}`);
            break;
          } catch {
            // not this row's value, or not this length
          }
        }
      }
    }
  }
  return found;
}
