import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Portable primary keys: UUID text works the same on SQLite and PostgreSQL. */
export const newId = (): string => randomUUID();

/** A bearer secret (visitor token, session token): 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Secrets are stored only as hashes, so a copy of the database gives no access. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
