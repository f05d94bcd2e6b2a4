import type { AreaLevel, OfficeAdminDto, OfficeChannel, OfficeDto } from '@direturn/protocol';
import type { OfficeInput } from '@direturn/protocol/schemas';
import type { OfficeWithAreas } from './office.repository.js';
import type { NewOfficeRow, OfficeRow } from './office.table.js';

const list = <T = string>(json: string): T[] => JSON.parse(json) as T[];

export function toOfficeDto(r: OfficeRow): OfficeDto {
  return {
    id: r.id,
    name: r.name,
    organisation: r.organisation,
    carrier: r.carrier,
    address: r.street || r.postal_code || r.city ? { street: r.street ?? '', postalCode: r.postal_code ?? '', city: r.city ?? '' } : null,
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
    phone: r.phone,
    email: r.email,
    website: r.website,
    openingHours: r.opening_hours,
    languages: list(r.languages),
    targetGroups: list(r.target_groups),
    channels: list<OfficeChannel>(r.channels),
    note: r.note,
    example: r.example === 1,
  };
}

export function toOfficeAdminDto(r: OfficeWithAreas): OfficeAdminDto {
  return {
    ...toOfficeDto(r),
    active: r.active === 1,
    fallback: r.fallback === 1,
    areaKeys: r.area_keys,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The columns of an office as an admin or an import gave it. */
export function toOfficeColumns(input: OfficeInput): Omit<NewOfficeRow, 'id' | 'created_at' | 'updated_at'> {
  return {
    name: input.name,
    organisation: input.organisation,
    carrier: input.carrier,
    street: input.street,
    postal_code: input.postalCode,
    city: input.city,
    latitude: input.latitude,
    longitude: input.longitude,
    phone: input.phone,
    email: input.email,
    website: input.website,
    opening_hours: input.openingHours,
    languages: JSON.stringify([...new Set(input.languages)]),
    target_groups: JSON.stringify(input.targetGroups),
    channels: JSON.stringify([...new Set(input.channels)]),
    note: input.note,
    active: input.active ? 1 : 0,
    fallback: input.fallback ? 1 : 0,
    example: input.example ? 1 : 0,
  };
}

/** The editable fields of an office, as OfficeInput (for PATCH merges and exports). */
export function toOfficeInput(o: OfficeAdminDto): OfficeInput {
  return {
    name: o.name,
    organisation: o.organisation,
    carrier: o.carrier,
    street: o.address?.street || null,
    postalCode: o.address?.postalCode || null,
    city: o.address?.city || null,
    latitude: o.latitude,
    longitude: o.longitude,
    phone: o.phone,
    email: o.email,
    website: o.website,
    openingHours: o.openingHours,
    languages: o.languages,
    targetGroups: o.targetGroups,
    channels: o.channels,
    note: o.note,
    active: o.active,
    fallback: o.fallback,
    example: o.example,
    areaKeys: o.areaKeys,
  };
}

