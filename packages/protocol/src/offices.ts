/** The office directory: counselling offices, the areas they are responsible for, the postcode lookup. */

/** Who runs an office: a public authority (foreigners' authority, central return office) or a non-state carrier (Caritas, Diakonie, Red Cross …). */
export type Carrier = 'state' | 'non_state';
/** The visitor's choice in the office search; `any` = no preference. */
export type CarrierPreference = 'any' | Carrier;
export const CARRIERS = ['state', 'non_state'] as const;
/** How a person can reach an office. */
export type OfficeChannel = 'in_person' | 'phone' | 'video' | 'chat';
export const OFFICE_CHANNELS = ['in_person', 'phone', 'video', 'chat'] as const;
/** 2 digits = federal state, 3 = government district, 5 = district / kreisfreie Stadt, 8 = municipality. */
export type AreaLevel = 'state' | 'region' | 'district' | 'municipality';

export interface OfficeAddress {
  street: string;
  postalCode: string;
  city: string;
}

/** What anyone may see of an office (the widget's search, the counsellor's Refer dialog). */
export interface OfficeDto {
  id: string;
  name: string;
  organisation: string;
  carrier: Carrier;
  address: OfficeAddress | null;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  /** Free text, as the operator wrote it (usually German). */
  openingHours: string | null;
  /** Language codes (ISO 639-1, or 639-3 where there is none) spoken at the office. */
  languages: string[];
  targetGroups: string[];
  channels: OfficeChannel[];
  /** E.g. "only for people housed in …". */
  note: string | null;
  /** A shipped example, not a real office: contact details are placeholders, do not call them. */
  example: boolean;
}

/** What admins see and edit. */
export interface OfficeAdminDto extends OfficeDto {
  active: boolean;
  /** Offered where no office is responsible (e.g. the operator's own central office). */
  fallback: boolean;
  /** Zero-padded official area keys (see AreaLevel). */
  areaKeys: string[];
  createdAt: number;
  updatedAt: number;
}

export interface AreaDto {
  key: string;
  name: string;
  level: AreaLevel;
}

/** An office as a lookup found it, with its distance from the place (when both have coordinates). */
export interface OfficeMatchDto extends OfficeDto {
  distanceKm: number | null;
}

/** A place a postcode covers, offered when the postcode spans several districts. */
export interface PostcodePlaceDto {
  name: string;
  /** Send it back as `area` to look up this place: its municipality key where known, else its district key. */
  areaKey: string;
  districtName: string;
}

/**
 * `GET /api/public/offices/lookup?postcode=…[&area=…][&carrier=…]`: one answer per case.
 * - `malformed`: not five digits;
 * - `unknown`: not in the postcode table;
 * - `po_box`: a post-box or large-recipient postcode, nobody's home address;
 * - `choose_place`: the postcode spans several districts whose offices differ: ask, then repeat with `area`;
 * - `found`: the responsible offices (`match` says at which level; `fallback` = nobody is responsible, the
 *   configured fallback office is offered); several offices = the person may choose;
 * - `none`: nobody is responsible and no fallback office is configured.
 */
export type OfficeLookupResponse =
  | { status: 'malformed' }
  | { status: 'unknown'; postcode: string }
  | { status: 'po_box'; postcode: string }
  | { status: 'choose_place'; postcode: string; places: PostcodePlaceDto[] }
  | {
      status: 'found';
      postcode: string;
      district: AreaDto;
      state: AreaDto;
      match: AreaLevel | 'fallback';
      offices: OfficeMatchDto[];
      attribution: string;
    }
  | { status: 'none'; postcode: string; district: AreaDto; state: AreaDto; attribution: string };

export interface OfficeListResponse { offices: OfficeAdminDto[] }
export interface OfficeResponse { office: OfficeAdminDto }

/** One row of an import that was refused, and why (row 1 = the first data row; for JSON the array index + 1). */
export interface OfficeImportRejection {
  row: number;
  name: string | null;
  reasons: string[];
}
export interface OfficeImportEntry {
  row: number;
  id: string;
  name: string;
}
/**
 * `POST /api/offices/import`: all or nothing. With any rejected row nothing is written
 * (`applied: false`); a dry run only reports.
 */
export interface OfficeImportReport {
  format: 'csv' | 'json';
  dryRun: boolean;
  applied: boolean;
  rows: number;
  created: OfficeImportEntry[];
  updated: OfficeImportEntry[];
  rejected: OfficeImportRejection[];
}

/** `GET /api/offices/coverage`: where nobody is responsible. */
export interface OfficeCoverageReport {
  districts: number;
  coveredDistricts: number;
  /** Districts with no active office for the district, its government district or its state. */
  uncoveredDistricts: Array<{ key: string; name: string; stateKey: string; stateName: string; partly: boolean }>;
  /** Federal states where no part at all has a responsible office. */
  uncoveredStates: Array<{ key: string; name: string }>;
  /** The offices offered where nobody is responsible (empty: such visitors get no office). */
  fallbackOffices: Array<{ id: string; name: string }>;
}
