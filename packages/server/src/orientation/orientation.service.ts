import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FEDERAL_STATE_KEYS,
  type AgentDto,
  type CaseContextDto,
  type CaseContextInput,
  type LanguageCode,
  type OrIssue,
  type OrRuleSet,
  type OrRuleSetVersionDto,
  type OrRuleSetVersionListItem,
} from '@direturn/protocol';
import { checkAnswers, evaluate, validateRuleSet } from '@direturn/protocol/orientation';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { canEditOrientation } from './orientation.policy.js';
import { toVersionDto, toVersionListItem } from './orientation.presenter.js';
import { agentName, currentVersion, findVersion, insertFirstVersion, insertNextVersion, listVersions } from './orientation.repository.js';

/** The shipped example rule set (example content to review; sources inside). */
export const EXAMPLE_RULE_SET_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../content/orientation/example-rule-set.json');
export const loadExampleRuleSet = (): OrRuleSet => JSON.parse(readFileSync(EXAMPLE_RULE_SET_FILE, 'utf8')) as OrRuleSet;

/** A rule set that does not validate: the editor API answers 422 with every issue; nothing is saved. */
export class RuleSetInvalidError extends DomainError {
  constructor(readonly problems: OrIssue[]) {
    super('orientation_invalid', `The rule set has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was saved.`, problems.map((i) => `${i.path}: ${i.code}`));
  }
}

/**
 * The orientation check on the server: versions of the rule set (saved only when valid, never
 * changed afterwards) and the case summary a visitor sends, checked against the current
 * questionnaire and evaluated again here with the same engine the widget ran.
 */
export class OrientationService {
  /** Versions never change, so their parsed documents can be kept (a few, each some 100 KB). */
  private readonly cache = new Map<number, OrRuleSet>();

  constructor(
    private readonly db: Db,
    private readonly audit?: AuditService,
  ) {}

  private async document(version: number): Promise<{ ruleSet: OrRuleSet; row: NonNullable<Awaited<ReturnType<typeof findVersion>>> } | undefined> {
    const row = await findVersion(this.db, version);
    if (!row) return undefined;
    let ruleSet = this.cache.get(version);
    if (!ruleSet) {
      ruleSet = JSON.parse(row.document) as OrRuleSet;
      if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(version, ruleSet);
    }
    return { ruleSet, row };
  }

  /** The version visitors answer now; not_found before any was saved. */
  async current(): Promise<OrRuleSetVersionDto> {
    return this.version(await currentVersion(this.db));
  }

  async version(version: number): Promise<OrRuleSetVersionDto> {
    const found = version > 0 ? await this.document(version) : undefined;
    if (!found) throw new DomainError('not_found', 'No such rule-set version.');
    return toVersionDto(found.row, found.ruleSet, await agentName(this.db, found.row.agent_id));
  }

  async versions(): Promise<OrRuleSetVersionListItem[]> {
    return (await listVersions(this.db)).map(toVersionListItem);
  }

  /** What is wrong with a rule set ([] = it would be saved). */
  check(ruleSet: OrRuleSet): OrIssue[] {
    return validateRuleSet(ruleSet);
  }

  /** Saves a new version when the rule set validates; else throws RuleSetInvalidError and saves nothing. */
  async save(ruleSet: OrRuleSet, comment: string | undefined, by: AgentDto): Promise<OrRuleSetVersionDto> {
    if (!canEditOrientation(by)) throw new DomainError('forbidden', 'Your role does not allow this.');
    const issues = validateRuleSet(ruleSet);
    if (issues.length) throw new RuleSetInvalidError(issues);
    const version = await insertNextVersion(this.db, { document: JSON.stringify(ruleSet), example: ruleSet.example ? 1 : 0, agent_id: by.id, comment: comment || null, created_at: Date.now() });
    await this.audit?.record({ agentId: by.id, action: 'orientation.rule_set_saved', details: { version } });
    return this.version(version);
  }

  /** Installs the shipped example as version 1 when no rule set exists yet (every start; a no-op afterwards). */
  async seedExample(ruleSet: OrRuleSet = loadExampleRuleSet()): Promise<boolean> {
    const issues = validateRuleSet(ruleSet);
    if (issues.length) throw new Error(`the example rule set does not validate: ${issues.map((i) => `${i.path}: ${i.code}`).join('; ')}`);
    return insertFirstVersion(this.db, { document: JSON.stringify(ruleSet), example: 1, agent_id: null, comment: 'Example content to review', created_at: Date.now() });
  }

  /**
   * The case summary a visitor's "send to a counsellor" carries: the answers must match the current
   * questionnaire (else orientation_answers_invalid and nothing is sent); the result is evaluated here.
   */
  async caseContext(input: CaseContextInput, language: LanguageCode): Promise<CaseContextDto> {
    const version = await currentVersion(this.db);
    const found = version > 0 ? await this.document(version) : undefined;
    if (!found) throw new DomainError('orientation_answers_invalid', 'There is no orientation check to answer.');
    const { ruleSet } = found;
    const issues = checkAnswers(ruleSet, input.answers);
    if (issues.length) {
      throw new DomainError('orientation_answers_invalid', 'The answers do not match the current questions. Please open the check again.', issues.map((i) => `${i.path}: ${i.code}`));
    }
    const { items, rules } = evaluate(ruleSet, input.answers);
    const stateQuestion = ruleSet.questions.find((q) => q.kind === 'state');
    const state = stateQuestion ? input.answers[stateQuestion.id] : undefined;
    return {
      kind: 'case',
      ruleSetVersion: version,
      language,
      region: typeof state === 'string' && FEDERAL_STATE_KEYS.includes(state) ? state : null,
      answers: input.answers,
      items,
      rules,
    };
  }
}
