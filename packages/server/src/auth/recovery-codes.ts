import { hashPassword, verifyPassword } from '../agents/password.js';
import { hashSecret } from '../shared/ids.js';

/**
 * Recovery codes carry 50 bits: too few for a fast hash (a stolen database would give them all up
 * within a day on a GPU). They are hashed like passwords, argon2id with its own salt, over their
 * SHA-256 (which lets the migration upgrade codes stored before without knowing them).
 */
export const hashRecoveryCode = (code: string): Promise<string> => hashPassword(hashSecret(code.toLowerCase()));

export const matchesRecoveryCode = (stored: string, code: string): Promise<boolean> => verifyPassword(stored, hashSecret(code.toLowerCase()));
