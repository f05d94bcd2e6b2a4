import type { Selectable } from 'kysely';

export interface AgentTotpTable {
  agent_id: string;
  /** base32 secret, sealed with the encryption keyring. */
  secret: string;
  created_at: number;
  enabled_at: number | null;
  last_step: number | null;
}
export type AgentTotpRow = Selectable<AgentTotpTable>;

export interface RecoveryCodeTable {
  id: string;
  agent_id: string;
  /** argon2id of the code's sha256 (auth/recovery-codes.ts): 50 bits are too few for a fast hash. */
  code_hash: string;
  used_at: number | null;
}
export type RecoveryCodeRow = Selectable<RecoveryCodeTable>;
