import type { Insertable, Selectable } from 'kysely';
import type { Carrier } from '@direturn/protocol';

export interface OfficeTable {
  id: string;
  name: string;
  organisation: string;
  carrier: Carrier;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  opening_hours: string | null;
  /** JSON arrays as text. */
  languages: string;
  target_groups: string;
  channels: string;
  note: string | null;
  /** 0/1 */
  active: number;
  fallback: number;
  example: number;
  created_at: number;
  updated_at: number;
}
export type OfficeRow = Selectable<OfficeTable>;
export type NewOfficeRow = Insertable<OfficeTable>;

/** Responsibility: one row per office and zero-padded area key (2, 3, 5 or 8 digits). */
export interface OfficeAreaTable {
  office_id: string;
  area_key: string;
}
