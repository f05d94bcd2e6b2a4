/** Per e-mail account: the IMAP reader's progress and the lease of the one process that reads it. */
export interface EmailMailboxTable {
  account_id: string;
  /** UIDVALIDITY of the mailbox when `last_uid` was read; null before the first read. */
  uid_validity: string | null;
  last_uid: number;
  /** The process reading the mailbox now, until `lease_until` (ms). */
  lease_owner: string | null;
  lease_until: number;
  updated_at: number;
}
