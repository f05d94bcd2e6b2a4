import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { RecoveryCodesResponse, TotpSetupResponse } from '@direturn/protocol';
import type { Db } from '../db/database.js';
import type { Keyring } from '../security/keyring.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { hashRecoveryCode, matchesRecoveryCode } from './recovery-codes.js';
import { consumeStep, deleteTotp, enableTotp, findTotp, listUnusedRecoveryCodes, replaceRecoveryCodes, upsertPendingTotp, useRecoveryCode } from './totp.repository.js';

const PERIOD = 30;
const RECOVERY_CODES = 10;
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

function recoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** TOTP (RFC 6238, SHA-1, 6 digits, 30 s) as a second factor, with single-use recovery codes. */
export class TotpService {
  constructor(
    private readonly db: Db,
    private readonly keyring: Keyring,
    private readonly issuer = 'DiReturn',
  ) {}

  private totp(secretBase32: string, label: string): OTPAuth.TOTP {
    return new OTPAuth.TOTP({ issuer: this.issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secretBase32) });
  }

  async isEnabled(agentId: string): Promise<boolean> {
    return Boolean((await findTotp(this.db, agentId))?.enabled_at);
  }

  /** Starts (or restarts) enrolment: a new secret, not yet active. */
  async setup(agent: { id: string; email: string }): Promise<TotpSetupResponse> {
    const existing = await findTotp(this.db, agent.id);
    if (existing?.enabled_at) throw new DomainError('bad_request', 'Two-factor authentication is already on. Turn it off first to enrol a new device.');
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await upsertPendingTotp(this.db, agent.id, this.keyring.seal(secret, `totp:${agent.id}`), Date.now());
    const otpauthUrl = this.totp(secret, agent.email).toString();
    const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { secret, otpauthUrl, qrSvg };
  }

  /** Confirms enrolment with a first code; returns recovery codes (shown once, stored hashed). */
  async enable(agent: { id: string; email: string }, code: string): Promise<RecoveryCodesResponse> {
    const row = await findTotp(this.db, agent.id);
    if (!row || row.enabled_at) throw new DomainError('bad_request', 'Start the set-up first.');
    const step = this.matchStep(this.keyring.open(row.secret, `totp:${agent.id}`), agent.email, code);
    if (step === null) throw new DomainError('invalid_credentials', 'The code is not correct. Check the time on your phone and try the next code.');
    const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    // One after another: ten at once would take all of libuv's threads, which the message path's WAL sync needs.
    const hashes: string[] = [];
    for (const code of codes) hashes.push(await hashRecoveryCode(code));
    await this.db.transaction().execute(async (trx) => {
      await enableTotp(trx, agent.id, Date.now(), step);
      await replaceRecoveryCodes(trx, agent.id, hashes.map((h) => ({ id: newId(), agent_id: agent.id, code_hash: h, used_at: null })));
    });
    return { recoveryCodes: codes };
  }

  async disable(agentId: string): Promise<void> {
    await deleteTotp(this.db, agentId);
  }

  /** Checks a TOTP code (each accepted once) or an unused recovery code. */
  async verify(agent: { id: string; email: string }, code: string): Promise<boolean> {
    const row = await findTotp(this.db, agent.id);
    if (!row?.enabled_at) return false;
    if (/^\d{6}$/.test(code)) {
      const step = this.matchStep(this.keyring.open(row.secret, `totp:${agent.id}`), agent.email, code);
      return step !== null && (await consumeStep(this.db, agent.id, step));
    }
    // Salted hashes cannot be looked up: try the (at most ten) unused ones.
    for (const stored of await listUnusedRecoveryCodes(this.db, agent.id)) {
      if (await matchesRecoveryCode(stored.code_hash, code)) return useRecoveryCode(this.db, stored.id, Date.now());
    }
    return false;
  }

  /** The time step of a valid code (±1 step for clock drift), or null. */
  private matchStep(secret: string, label: string, code: string, now = Date.now()): number | null {
    const delta = this.totp(secret, label).validate({ token: code, timestamp: now, window: 1 });
    return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
  }
}
