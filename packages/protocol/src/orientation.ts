/**
 * The orientation check: a questionnaire, result items and the rules between them, all data
 * (a versioned "rule set" editors change in the console). Types, limits and lists only: the rule
 * engine (validation and evaluation, with json-logic-js) is its own entry,
 * `@direturn/protocol/orientation`, so that only the code that opens the check loads it.
 */
import type { LanguageCode } from './languages.js';

/** Text in several languages; German and English are required wherever a visitor or counsellor reads it. */
export type OrTexts = Partial<Record<LanguageCode, string>>;

/**
 * single: one option; multi: several options; country: an ISO 3166-1 alpha-2 code (names come
 * from the browser's Intl.DisplayNames in the reader's language); state: a German federal state
 * (its two-digit key, as the office directory uses it; feeds routing).
 */
export type OrQuestionKind = 'single' | 'multi' | 'country' | 'state';
export const OR_QUESTION_KINDS = ['single', 'multi', 'country', 'state'] as const satisfies readonly OrQuestionKind[];

export interface OrOption { value: string; text: OrTexts }

export interface OrQuestion {
  /** Lower-case letters, digits and `_`; the name rules use (`{"var": "<id>"}`). */
  id: string;
  kind: OrQuestionKind;
  text: OrTexts;
  /** A hint below the question. */
  help?: OrTexts;
  /** For `single` and `multi` only. */
  options?: OrOption[];
}

/** step: what comes next, in the order listed; document: papers that usually matter; programme: support that may apply; note: anything else worth knowing. */
export type OrItemKind = 'step' | 'document' | 'programme' | 'note';
export const OR_ITEM_KINDS = ['step', 'document', 'programme', 'note'] as const satisfies readonly OrItemKind[];

export interface OrItem {
  id: string;
  kind: OrItemKind;
  title: OrTexts;
  text?: OrTexts;
  /** Knowledge-base article slugs shown as links beside the item. */
  articles?: string[];
  /** Ids of `OrRuleSet.sources` this item rests on. */
  sources?: string[];
}

/**
 * A JSON logic condition (https://jsonlogic.com) over the answers. Only a subset that can be
 * checked for contradictions is accepted: `and`, `or`, `!`, `==`/`!=` between `{"var": q}` and a
 * value (or null = not answered), `{"in": [{"var": q}, [values]]}` for single/country/state
 * questions and `{"in": [value, {"var": q}]}` ("contains") for multi questions; `true`/`false`.
 */
export type OrCondition = boolean | { [operator: string]: unknown };

export interface OrRule {
  id: string;
  when: OrCondition;
  /** Items shown when the condition holds. */
  show?: string[];
  /** Items hidden when the condition holds (wins over `show`). */
  hide?: string[];
  /** Ids of `OrRuleSet.sources` the rule rests on. */
  sources?: string[];
  /** Why the rule exists, for editors. */
  comment?: string;
}

export interface OrSource { id: string; title: string; url: string }

export interface OrRuleSet {
  format: 1;
  /** Shipped example content that the operator must review. */
  example: boolean;
  /** For editors: what this rule set reflects (date, scope). */
  note?: string;
  sources: OrSource[];
  questions: OrQuestion[];
  items: OrItem[];
  rules: OrRule[];
}

/** A visitor's answers: question id → option value (single, country, state) or values (multi). Skipped questions are absent. */
export type OrAnswers = Record<string, string | string[]>;

export interface OrResult {
  /** Item ids shown, steps first (in their listed order), then documents, programmes, notes. */
  items: string[];
  /** Rule ids whose condition held. */
  rules: string[];
}

/** Error codes of rule-set and answer validation (the console translates them: `orientation.issue.<code>`). */
export const OR_ISSUE_CODES = [
  'malformed',
  'duplicate_id',
  'unknown_question',
  'unknown_answer_value',
  'wrong_answer_type',
  'unsupported_condition',
  'wrong_question_kind',
  'unknown_item',
  'unknown_source',
  'missing_text',
  'amount_in_text',
  'unsatisfiable_rule',
  'unreachable_item',
  'too_complex',
] as const;
export type OrIssueCode = (typeof OR_ISSUE_CODES)[number];

export interface OrIssue {
  code: OrIssueCode;
  /** Where: `questions.2.options.1`, `rules.rg_eu.when`, `items.shp`… */
  path: string;
  /** English detail for logs and API users; the console shows `orientation.issue.<code>` with `params`. */
  message: string;
  /** The id or value concerned, for the translated sentence. */
  params?: { subject?: string; value?: string };
}

export const OR_LIMITS = {
  /** Bytes of a rule set as the editor API accepts it. */
  ruleSetMaxBytes: 512 * 1024,
  questionsMax: 40,
  optionsMax: 60,
  itemsMax: 200,
  rulesMax: 400,
  idMaxChars: 40,
  textMaxChars: 2000,
  /** Answer keys in one summary and values in one multi answer. */
  answersMax: 40,
  multiValuesMax: 30,
  /** Conjunctions the contradiction check explores per item before it gives up (`too_complex`). */
  analysisMaxTerms: 20_000,
} as const;

/** Federal states by the two-digit key the office directory uses; names are official German names. */
export const FEDERAL_STATES = [
  { key: '01', name: 'Schleswig-Holstein' },
  { key: '02', name: 'Hamburg' },
  { key: '03', name: 'Niedersachsen' },
  { key: '04', name: 'Bremen' },
  { key: '05', name: 'Nordrhein-Westfalen' },
  { key: '06', name: 'Hessen' },
  { key: '07', name: 'Rheinland-Pfalz' },
  { key: '08', name: 'Baden-Württemberg' },
  { key: '09', name: 'Bayern' },
  { key: '10', name: 'Saarland' },
  { key: '11', name: 'Berlin' },
  { key: '12', name: 'Brandenburg' },
  { key: '13', name: 'Mecklenburg-Vorpommern' },
  { key: '14', name: 'Sachsen' },
  { key: '15', name: 'Sachsen-Anhalt' },
  { key: '16', name: 'Thüringen' },
] as const;
export const FEDERAL_STATE_KEYS: readonly string[] = FEDERAL_STATES.map((s) => s.key);

/** ISO 3166-1 alpha-2 codes (officially assigned), the answers a `country` question accepts. */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK'
).split(' ');

/** The member states of the European Union (for rules and the example rule set). */
export const EU_MEMBER_STATES: readonly string[] = 'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');

/** What the visitor's frame carries on "send to a counsellor" (the server validates and evaluates again). */
export interface CaseContextInput {
  kind: 'case';
  /** The rule-set version the widget evaluated with; the server answers with the current one. */
  ruleSetVersion: number;
  answers: OrAnswers;
}

/**
 * The case summary a message carries: the answers and the result as the server evaluated them
 * with `ruleSetVersion`. Versions never change, so the summary reads the same later.
 */
export interface CaseContextDto {
  kind: 'case';
  ruleSetVersion: number;
  /** The language the visitor answered in. */
  language: LanguageCode;
  /** The federal state (key) from the answers, for routing; null when not answered. */
  region: string | null;
  answers: OrAnswers;
  items: string[];
  rules: string[];
}

/** A rule-set version as the API returns it. */
export interface OrRuleSetVersionDto {
  version: number;
  ruleSet: OrRuleSet;
  createdAt: number;
  /** Editor who saved it; null for the shipped example. */
  agentName: string | null;
  comment: string | null;
}
export interface OrRuleSetVersionListItem { version: number; createdAt: number; agentName: string | null; comment: string | null; example: boolean }
export interface OrRuleSetResponse { current: OrRuleSetVersionDto }
export interface OrRuleSetVersionResponse { version: OrRuleSetVersionDto }
export interface OrRuleSetVersionListResponse { versions: OrRuleSetVersionListItem[] }
/** 422 answer of a rule set that does not validate: nothing was saved. */
export interface OrValidationErrorBody { error: { code: 'orientation_invalid'; message: string; issues: OrIssue[] } }

/**
 * Where a waiting conversation stands for one counsellor: 0 = speaks its language and covers its
 * region, 1 = language only, 2 = region only, 3 = neither. The queue lists by rank, then by age.
 */
export function queueRank(conversation: { language: string; region?: string | null }, agent: { languages: readonly string[]; regions?: readonly string[] }): number {
  const language = agent.languages.includes(conversation.language) ? 0 : 2;
  const region = conversation.region && agent.regions?.includes(conversation.region) ? 0 : 1;
  return language + region;
}
