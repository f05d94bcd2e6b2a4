import type { Selectable } from 'kysely';

/** Key → JSON value. Keys: `retentionDays`, `requireTotp`, `privacy:<siteId|*>:<language>`. */
export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
}
export type SettingRow = Selectable<SettingTable>;
