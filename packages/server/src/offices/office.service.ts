import type {
  AgentDto,
  CarrierPreference,
  OfficeAdminDto,
  OfficeCoverageReport,
  OfficeImportEntry,
  OfficeImportRejection,
  OfficeImportReport,
  OfficeLookupResponse,
} from '@direturn/protocol';
import { OfficeImportItemSchema, OfficeInputSchema, parse, type OfficeInput, type OfficeUpdate } from '@direturn/protocol/schemas';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { AREA_KEY_PATTERN, describeBadKey, levelOf, STATES, stateOf } from './area-keys.js';
import { OfficeLookup } from './office-lookup.js';
import { canManageOffices } from './office.policy.js';
import { toOfficeAdminDto, toOfficeColumns, toOfficeInput } from './office.presenter.js';
import { countOffices, findActiveFallbacks, findExistingIds, findOffice, insertOffice, listActiveAreaKeys, listOffices, updateOffice } from './office.repository.js';
import { EXAMPLE_OFFICES, exampleOfficeId } from './example-offices.js';
import { FileError, readCsv, readJson, writeCsv, writeJson, type RawItem } from './office-transfer.js';
import type { PostcodeTable } from './postcodes/postcode-table.js';

/** The office directory: admins keep it, everyone looks offices up by postcode. */
export class OfficeService {
  readonly lookup: OfficeLookup;

  constructor(
    private readonly db: Db,
    readonly postcodes: PostcodeTable,
    private readonly audit?: AuditService,
  ) {
    this.lookup = new OfficeLookup(db, postcodes);
  }

  find(q: { postcode: string; area?: string | undefined; carrier: CarrierPreference }): Promise<OfficeLookupResponse> {
    return this.lookup.lookup(q);
  }

  async list(): Promise<OfficeAdminDto[]> {
    return (await listOffices(this.db)).map(toOfficeAdminDto);
  }

  async get(id: string): Promise<OfficeAdminDto> {
    const row = await findOffice(this.db, id);
    if (!row) throw new DomainError('not_found', 'Office not found.');
    return toOfficeAdminDto(row);
  }

  /** Area keys that name no known area (the schema has checked their shape already). */
  unknownAreaKeys(keys: string[]): string[] {
    return keys.filter((k) => !this.postcodes.hasArea(k)).map((k) => `area key ${k} is not a known ${levelOf(k) ?? 'area'}`);
  }

  async create(agent: AgentDto, input: OfficeInput): Promise<OfficeAdminDto> {
    if (!canManageOffices(agent)) throw new DomainError('forbidden', 'Only admins can change the office directory.');
    const problems = this.unknownAreaKeys(input.areaKeys);
    if (problems.length) throw new DomainError('bad_request', 'The office is not valid.', problems);
    const id = newId();
    const now = Date.now();
    await this.db.transaction().execute((trx) => insertOffice(trx, { id, ...toOfficeColumns(input), created_at: now, updated_at: now }, input.areaKeys));
    await this.audit?.record({ agentId: agent.id, action: 'office.created', details: { office: id } });
    return this.get(id);
  }

  /** Changes some fields; `active: false` deactivates (offices are never deleted: referrals point at them). */
  async update(agent: AgentDto, id: string, changes: OfficeUpdate): Promise<OfficeAdminDto> {
    if (!canManageOffices(agent)) throw new DomainError('forbidden', 'Only admins can change the office directory.');
    const current = await this.get(id);
    const merged = parse(OfficeInputSchema, { ...toOfficeInput(current), ...changes });
    if (!merged.ok) throw new DomainError('bad_request', 'The office is not valid.', merged.issues);
    const problems = changes.areaKeys ? this.unknownAreaKeys(changes.areaKeys) : [];
    if (problems.length) throw new DomainError('bad_request', 'The office is not valid.', problems);
    await this.db.transaction().execute((trx) =>
      updateOffice(trx, id, { ...toOfficeColumns(merged.value), updated_at: Date.now() }, changes.areaKeys ? merged.value.areaKeys : undefined),
    );
    await this.audit?.record({
      agentId: agent.id,
      action: 'office.updated',
      details: { office: id, ...(changes.active !== undefined ? { active: changes.active } : {}) },
    });
    return this.get(id);
  }

  /**
   * Imports a CSV or JSON file: every row is validated first; with any rejected row (or a dry run)
   * nothing is written, else all rows are written in one transaction. Rows with the id of an
   * existing office update it; the others create offices (keeping a given id, so a directory moves
   * between installations).
   */
  async import(agent: AgentDto, format: 'csv' | 'json', text: string, dryRun: boolean): Promise<OfficeImportReport> {
    if (!canManageOffices(agent)) throw new DomainError('forbidden', 'Only admins can change the office directory.');
    let items: RawItem[];
    try {
      items = format === 'csv' ? readCsv(text) : readJson(text);
    } catch (err) {
      if (err instanceof FileError) throw new DomainError('bad_request', err.message);
      throw err;
    }
    const rejected: OfficeImportRejection[] = [];
    const valid: Array<{ row: number; id: string | undefined; input: OfficeInput }> = [];
    const seenIds = new Map<string, number>();
    for (const item of items) {
      const reasons = [...item.problems];
      // A key that lost its leading zero in a spreadsheet gets a hint instead of the schema's generic message.
      const rawKeys = Array.isArray(item.value.areaKeys) ? (item.value.areaKeys as unknown[]).filter((k): k is string => typeof k === 'string') : [];
      const badKeys = rawKeys.filter((k) => !AREA_KEY_PATTERN.test(k.trim()));
      reasons.push(...badKeys.map(describeBadKey));
      const result = parse(OfficeImportItemSchema, item.value);
      if (!result.ok) {
        reasons.push(...result.issues.filter((i) => !(badKeys.length && i.startsWith('areaKeys'))));
      } else {
        const { id, ...input } = result.value;
        reasons.push(...this.unknownAreaKeys(input.areaKeys));
        if (input.areaKeys.length === 0 && !input.fallback) reasons.push('area_keys: name at least one area the office is responsible for (or mark it as fallback)');
        if (id) {
          const first = seenIds.get(id);
          if (first !== undefined) reasons.push(`id: the same office id as row ${first}`);
          else seenIds.set(id, item.row);
        }
        if (reasons.length === 0) valid.push({ row: item.row, id: id ?? undefined, input });
      }
      if (reasons.length) rejected.push({ row: item.row, name: item.name, reasons: [...new Set(reasons)] });
    }
    const existing = await findExistingIds(this.db, valid.flatMap((v) => (v.id ? [v.id] : [])));
    const created: OfficeImportEntry[] = [];
    const updated: OfficeImportEntry[] = [];
    const plan = valid.map((v) => {
      const id = v.id ?? newId();
      (v.id && existing.has(v.id) ? updated : created).push({ row: v.row, id, name: v.input.name });
      return { ...v, id, update: Boolean(v.id && existing.has(v.id)) };
    });
    const applied = !dryRun && rejected.length === 0 && plan.length > 0;
    if (applied) {
      const now = Date.now();
      await this.db.transaction().execute(async (trx) => {
        for (const p of plan) {
          if (p.update) await updateOffice(trx, p.id, { ...toOfficeColumns(p.input), updated_at: now }, p.input.areaKeys);
          else await insertOffice(trx, { id: p.id, ...toOfficeColumns(p.input), created_at: now, updated_at: now }, p.input.areaKeys);
        }
      });
      await this.audit?.record({ agentId: agent.id, action: 'office.imported', details: { format, created: created.length, updated: updated.length } });
    }
    return { format, dryRun, applied, rows: items.length, created, updated, rejected };
  }

  async export(format: 'csv' | 'json'): Promise<string> {
    const offices = await this.list();
    return format === 'csv' ? writeCsv(offices) : writeJson(offices);
  }

  /** Districts and states where no active office is responsible (and which fallback catches them). */
  async coverage(): Promise<OfficeCoverageReport> {
    const keys = await listActiveAreaKeys(this.db);
    const covering = new Set(keys.filter((k) => k.length <= 5));
    const municipal = keys.filter((k) => k.length === 8);
    const districts = [...this.postcodes.districts.entries()];
    const uncovered = districts
      .filter(([d]) => ![d, d.slice(0, 3), d.slice(0, 2)].some((k) => covering.has(k)))
      .map(([key, name]) => ({ key, name, stateKey: stateOf(key), stateName: STATES[stateOf(key)] ?? stateOf(key), partly: municipal.some((m) => m.startsWith(key)) }));
    const statesTouched = new Set(keys.map(stateOf));
    const fallbacks = await findActiveFallbacks(this.db);
    return {
      districts: districts.length,
      coveredDistricts: districts.length - uncovered.length,
      uncoveredDistricts: uncovered,
      uncoveredStates: Object.entries(STATES)
        .filter(([k]) => !statesTouched.has(k))
        .map(([key, name]) => ({ key, name })),
      fallbackOffices: fallbacks.map((o) => ({ id: o.id, name: o.name })),
    };
  }

  isEmpty(): Promise<boolean> {
    return countOffices(this.db).then((n) => n === 0);
  }

  /** Demo installations start with the shipped example offices (only into an empty directory). */
  async seedExamples(): Promise<number> {
    if ((await countOffices(this.db)) > 0) return 0;
    const now = Date.now();
    await this.db.transaction().execute(async (trx) => {
      for (const [i, input] of EXAMPLE_OFFICES.entries()) {
        await insertOffice(trx, { id: exampleOfficeId(i), ...toOfficeColumns(input), created_at: now, updated_at: now }, input.areaKeys);
      }
    });
    return EXAMPLE_OFFICES.length;
  }
}
