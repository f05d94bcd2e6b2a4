/**
 * The orientation rule engine, one module for widget and server (`@direturn/protocol/orientation`):
 * the same validation and the same evaluation on both sides.
 *
 * Evaluation runs the rules' conditions with json-logic-js. Validation walks the same conditions
 * in a small model of their own (answers are finite: options, countries, states), which is why
 * only a checkable subset of JSON logic is accepted (see `OrCondition`): every condition becomes a
 * disjunction of conjunctions of "question is/is not one of …" and "multi answer contains/lacks …"
 * literals, and a conjunction is satisfiable exactly when every question still has a value left.
 */
import jsonLogic from 'json-logic-js';
import { isLanguageCode } from './languages.js';
import {
  COUNTRY_CODES,
  FEDERAL_STATE_KEYS,
  OR_ITEM_KINDS,
  OR_LIMITS,
  OR_QUESTION_KINDS,
  type OrAnswers,
  type OrCondition,
  type OrIssue,
  type OrIssueCode,
  type OrQuestion,
  type OrResult,
  type OrRuleSet,
  type OrTexts,
} from './orientation.js';

export type { OrAnswers, OrIssue, OrResult, OrRuleSet } from './orientation.js';
export { statesOfPostcode, type PostcodeStates } from './postcode-states.js';

const ID = /^[a-z][a-z0-9_]*$/;
/** A sum of money in a text: "200 €", "€ 1.000", "500 EUR", "1000 euro". Results promise no money. */
const AMOUNT = /\d[\d.,\s]*(?:€|eur\b|euro)|€\s*\d/i;
const REQUIRED_LANGUAGES = ['de', 'en'] as const;

/** The values a question accepts (null = not answered is always possible). */
export function questionValues(q: OrQuestion): readonly string[] {
  if (q.kind === 'country') return COUNTRY_CODES;
  if (q.kind === 'state') return FEDERAL_STATE_KEYS;
  return (q.options ?? []).map((o) => o.value);
}

// ---- the condition model ----

/** single/country/state: the answer is (neg: is not) one of `values` (null = unanswered). */
interface OneOf { t: 'one'; q: string; values: ReadonlySet<string | null>; neg: boolean }
/** multi: the answer contains (neg: lacks) `value`. */
interface Has { t: 'has'; q: string; value: string; neg: boolean }
type Literal = OneOf | Has;
type Term = Literal[];
/** A condition as a disjunction of conjunctions; [] = false, [[]] = true. */
type Dnf = Term[];

class TooComplex extends Error {}

interface Context {
  questions: Map<string, OrQuestion>;
  issues: OrIssue[];
  path: string;
}

const isVar = (x: unknown): x is { var: string } =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 1 && typeof (x as { var?: unknown }).var === 'string';

/** `params` name what the console's translated sentence needs (the id or value concerned); `message` is the English detail. */
function issue(ctx: { issues: OrIssue[] }, code: OrIssueCode, path: string, message: string, params?: OrIssue['params']): void {
  ctx.issues.push({ code, path, message, ...(params ? { params } : {}) });
}

/** Parses a condition into literals in negation normal form (neg pushed to the leaves); null after an issue. */
type Nnf = { t: 'and' | 'or'; parts: Nnf[] } | { t: 'lit'; lit: Literal } | { t: 'const'; value: boolean };

function parse(ctx: Context, c: unknown, neg: boolean): Nnf | null {
  if (typeof c === 'boolean') return { t: 'const', value: c !== neg };
  if (typeof c !== 'object' || c === null || Array.isArray(c) || Object.keys(c).length !== 1) {
    issue(ctx, 'unsupported_condition', ctx.path, 'A condition is true, false or an object with one operator.');
    return null;
  }
  const [op, raw] = Object.entries(c)[0]!;
  const args = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case 'and':
    case 'or': {
      // json-logic-js answers an empty and/or with undefined (false): say what is meant instead.
      if (args.length === 0) break;
      const parts = args.map((a) => parse(ctx, a, neg));
      if (parts.some((p) => p === null)) return null;
      // De Morgan: a negated and is an or of negations.
      return { t: (op === 'and') !== neg ? 'and' : 'or', parts: parts as Nnf[] };
    }
    case '!':
      if (args.length !== 1) break;
      return parse(ctx, args[0], !neg);
    case '==':
    case '!=': {
      if (args.length !== 2) break;
      const [a, b] = args;
      const v = isVar(a) ? a : isVar(b) ? b : null;
      const value = v === a ? b : a;
      if (!v || (typeof value !== 'string' && value !== null)) break;
      const q = question(ctx, v.var);
      if (!q) return null;
      if (q.kind === 'multi') {
        issue(ctx, 'wrong_question_kind', ctx.path, `"${q.id}" takes several answers: use {"in": [value, {"var": "${q.id}"}]}.`, { subject: q.id });
        return null;
      }
      if (!knownValue(ctx, q, value)) return null;
      return { t: 'lit', lit: { t: 'one', q: q.id, values: new Set([value]), neg: (op === '!=') !== neg } };
    }
    case 'in': {
      if (args.length !== 2) break;
      const [a, b] = args;
      if (isVar(a) && Array.isArray(b) && b.every((x) => typeof x === 'string' || x === null)) {
        const q = question(ctx, a.var);
        if (!q) return null;
        if (q.kind === 'multi') {
          issue(ctx, 'wrong_question_kind', ctx.path, `"${q.id}" takes several answers: use {"in": [value, {"var": "${q.id}"}]}.`, { subject: q.id });
          return null;
        }
        if (!(b as (string | null)[]).every((x) => knownValue(ctx, q, x))) return null;
        return { t: 'lit', lit: { t: 'one', q: q.id, values: new Set(b as (string | null)[]), neg } };
      }
      if (typeof a === 'string' && isVar(b)) {
        const q = question(ctx, b.var);
        if (!q) return null;
        if (q.kind !== 'multi') {
          issue(ctx, 'wrong_question_kind', ctx.path, `"${q.id}" takes one answer: use {"==": [{"var": "${q.id}"}, value]} or {"in": [{"var": "${q.id}"}, [values]]}.`, { subject: q.id });
          return null;
        }
        if (!knownValue(ctx, q, a)) return null;
        return { t: 'lit', lit: { t: 'has', q: q.id, value: a, neg } };
      }
      break;
    }
  }
  issue(ctx, 'unsupported_condition', ctx.path, `Operator "${op}" is not supported in this form (use and, or, !, ==, != and in over {"var": question}).`, { subject: op });
  return null;
}

function question(ctx: Context, id: string): OrQuestion | undefined {
  const q = ctx.questions.get(id);
  if (!q) issue(ctx, 'unknown_question', ctx.path, `No question "${id}".`, { subject: id });
  return q;
}

function knownValue(ctx: Context, q: OrQuestion, value: string | null): boolean {
  if (value === null || questionValues(q).includes(value)) return true;
  issue(ctx, 'unknown_answer_value', ctx.path, `Question "${q.id}" has no answer "${value}".`, { subject: q.id, value });
  return false;
}

function dnf(n: Nnf, qs: Map<string, OrQuestion>): Dnf {
  if (n.t === 'const') return n.value ? [[]] : [];
  if (n.t === 'lit') return [[n.lit]];
  if (n.t === 'or') return n.parts.flatMap((p) => dnf(p, qs));
  let acc: Dnf = [[]];
  for (const part of n.parts) {
    const next: Dnf = [];
    const rights = dnf(part, qs);
    for (const left of acc) for (const right of rights) {
      const term = [...left, ...right];
      if (satisfiable(term, qs)) next.push(term);
      if (next.length > OR_LIMITS.analysisMaxTerms) throw new TooComplex();
    }
    acc = next;
  }
  return acc;
}

/** True when some answers make every literal of the conjunction hold. */
function satisfiable(term: Term, qs: Map<string, OrQuestion>): boolean {
  const one = new Map<string, Set<string | null>>();
  const has = new Map<string, boolean>();
  for (const lit of term) {
    if (lit.t === 'has') {
      const key = `${lit.q}\u0000${lit.value}`;
      const want = !lit.neg;
      if (has.has(key) && has.get(key) !== want) return false;
      has.set(key, want);
      continue;
    }
    let left = one.get(lit.q);
    if (!left) {
      const q = qs.get(lit.q);
      left = new Set<string | null>([null, ...(q ? questionValues(q) : [])]);
      one.set(lit.q, left);
    }
    for (const v of [...left]) if (lit.values.has(v) === lit.neg) left.delete(v);
    if (left.size === 0) return false;
  }
  return true;
}

// ---- validation ----

function texts(ctx: { issues: OrIssue[] }, t: OrTexts | undefined, path: string, required: boolean): void {
  if (t === undefined) {
    if (required) issue(ctx, 'missing_text', path, 'Text in German and English is required.');
    return;
  }
  for (const [lang, value] of Object.entries(t)) {
    if (!isLanguageCode(lang) || typeof value !== 'string' || value.length > OR_LIMITS.textMaxChars) issue(ctx, 'malformed', `${path}.${lang}`, `Not a text of a supported language (at most ${OR_LIMITS.textMaxChars} characters).`);
  }
  if (!required) return;
  for (const lang of REQUIRED_LANGUAGES) {
    if (!t[lang]?.trim()) issue(ctx, 'missing_text', `${path}.${lang}`, `Text in ${lang === 'de' ? 'German' : 'English'} is missing.`);
  }
}

function uniqueIds(ctx: { issues: OrIssue[] }, list: { id: string }[], path: string): Set<string> {
  const seen = new Set<string>();
  list.forEach((x, i) => {
    if (typeof x.id !== 'string' || !ID.test(x.id) || x.id.length > OR_LIMITS.idMaxChars) issue(ctx, 'malformed', `${path}.${i}.id`, 'An id is lower-case letters, digits and _ (starting with a letter).');
    else if (seen.has(x.id)) issue(ctx, 'duplicate_id', `${path}.${i}`, `"${x.id}" is used twice.`, { subject: x.id });
    seen.add(x.id);
  });
  return seen;
}

/**
 * Everything wrong with a rule set, each with a code and a path; [] = valid. Expects the shape of
 * `OrRuleSet` (the server checks that first with the valibot schema); finds unknown questions and
 * answer values, conditions outside the checkable subset, missing German/English texts, sums of
 * money, unknown items and sources, and contradictions: rules that can never hold and items no
 * combination of answers shows.
 */
export function validateRuleSet(rs: OrRuleSet): OrIssue[] {
  const issues: OrIssue[] = [];
  if (rs.format !== 1) issue({ issues }, 'malformed', 'format', 'Unknown format (expected 1).');
  uniqueIds({ issues }, rs.questions, 'questions');
  const itemIds = uniqueIds({ issues }, rs.items, 'items');
  uniqueIds({ issues }, rs.rules, 'rules');
  const sourceIds = uniqueIds({ issues }, rs.sources, 'sources');
  const questions = new Map(rs.questions.map((q) => [q.id, q]));

  rs.questions.forEach((q, i) => {
    const path = `questions.${i}`;
    if (!(OR_QUESTION_KINDS as readonly string[]).includes(q.kind)) issue({ issues }, 'malformed', `${path}.kind`, `Unknown kind "${q.kind}".`);
    texts({ issues }, q.text, `${path}.text`, true);
    texts({ issues }, q.help, `${path}.help`, false);
    const hasOptions = q.kind === 'single' || q.kind === 'multi';
    if (hasOptions && !q.options?.length) issue({ issues }, 'malformed', `${path}.options`, 'A single or multi question needs options.');
    if (!hasOptions && q.options?.length) issue({ issues }, 'malformed', `${path}.options`, 'Country and state questions take their values from the protocol, not options.');
    const values = new Set<string>();
    q.options?.forEach((o, j) => {
      if (!ID.test(o.value)) issue({ issues }, 'malformed', `${path}.options.${j}.value`, 'A value is lower-case letters, digits and _.');
      if (values.has(o.value)) issue({ issues }, 'duplicate_id', `${path}.options.${j}`, `Value "${o.value}" is used twice.`, { subject: o.value });
      values.add(o.value);
      texts({ issues }, o.text, `${path}.options.${j}.text`, true);
    });
  });
  if (rs.questions.filter((q) => q.kind === 'state').length > 1) issue({ issues }, 'malformed', 'questions', 'At most one federal-state question (it feeds routing).');

  rs.items.forEach((item, i) => {
    const path = `items.${i}`;
    if (!(OR_ITEM_KINDS as readonly string[]).includes(item.kind)) issue({ issues }, 'malformed', `${path}.kind`, `Unknown kind "${item.kind}".`);
    texts({ issues }, item.title, `${path}.title`, true);
    texts({ issues }, item.text, `${path}.text`, false);
    for (const [lang, value] of [...Object.entries(item.title ?? {}), ...Object.entries(item.text ?? {})]) {
      if (typeof value === 'string' && AMOUNT.test(value)) issue({ issues }, 'amount_in_text', `${path}.${lang}`, 'Results name no sums of money: the counsellor checks what applies.');
    }
    for (const s of item.sources ?? []) if (!sourceIds.has(s)) issue({ issues }, 'unknown_source', `${path}.sources`, `No source "${s}".`, { subject: s });
  });
  rs.sources.forEach((s, i) => {
    if (!/^https:\/\/\S+$/.test(s.url)) issue({ issues }, 'malformed', `sources.${i}.url`, 'A source is an https address.');
  });

  const parsed = new Map<string, Nnf>();
  rs.rules.forEach((rule, i) => {
    const path = `rules.${i}`;
    for (const id of [...(rule.show ?? []), ...(rule.hide ?? [])]) if (!itemIds.has(id)) issue({ issues }, 'unknown_item', path, `No item "${id}".`, { subject: id });
    for (const s of rule.sources ?? []) if (!sourceIds.has(s)) issue({ issues }, 'unknown_source', `${path}.sources`, `No source "${s}".`, { subject: s });
    const ctx: Context = { questions, issues, path: `${path}.when` };
    const n = parse(ctx, rule.when, false);
    if (!n) return;
    parsed.set(rule.id, n);
    try {
      if (dnf(n, questions).length === 0) issue({ issues }, 'unsatisfiable_rule', `${path}.when`, `Rule "${rule.id}" can never hold: its conditions contradict each other.`, { subject: rule.id });
    } catch (e) {
      if (!(e instanceof TooComplex)) throw e;
      issue({ issues }, 'too_complex', `${path}.when`, 'This condition is too complex to check; split it into several rules.');
    }
  });
  // Only a rule set whose conditions all parsed is checked for unreachable items (else every item of a broken rule would be reported too).
  if (issues.some((x) => x.code !== 'missing_text' && x.code !== 'amount_in_text' && x.code !== 'unknown_source')) return issues;

  rs.items.forEach((item, i) => {
    const showing = rs.rules.filter((r) => r.show?.includes(item.id));
    const hiding = rs.rules.filter((r) => r.hide?.includes(item.id));
    const path = `items.${i}`;
    if (showing.length === 0) return issue({ issues }, 'unreachable_item', path, `No rule shows "${item.id}".`, { subject: item.id });
    try {
      const reachable = showing.some((r) => {
        const parts: Nnf[] = [parsed.get(r.id)!];
        for (const h of hiding) parts.push(negate(parsed.get(h.id)!));
        return dnf({ t: 'and', parts }, questions).length > 0;
      });
      if (!reachable) issue({ issues }, 'unreachable_item', path, `"${item.id}" can never be shown: whenever a rule shows it, another hides it or the rule cannot hold.`, { subject: item.id });
    } catch (e) {
      if (!(e instanceof TooComplex)) throw e;
      issue({ issues }, 'too_complex', path, `Too many combinations to check whether "${item.id}" can be shown; simplify the rules that show or hide it.`, { subject: item.id });
    }
  });
  return issues;
}

function negate(n: Nnf): Nnf {
  if (n.t === 'const') return { t: 'const', value: !n.value };
  if (n.t === 'lit') return { t: 'lit', lit: { ...n.lit, neg: !n.lit.neg } };
  return { t: n.t === 'and' ? 'or' : 'and', parts: n.parts.map(negate) };
}

/**
 * What is wrong with a visitor's answers for this rule set: unknown questions, values that are no
 * option (or country, or state), a list for a one-answer question or the other way round. [] = fine.
 */
export function checkAnswers(rs: OrRuleSet, answers: OrAnswers): OrIssue[] {
  const issues: OrIssue[] = [];
  const questions = new Map(rs.questions.map((q) => [q.id, q]));
  const entries = Object.entries(answers);
  if (entries.length > OR_LIMITS.answersMax) issue({ issues }, 'malformed', 'answers', 'Too many answers.');
  for (const [id, value] of entries) {
    const q = questions.get(id);
    if (!q) {
      issue({ issues }, 'unknown_question', id, `No question "${id}".`, { subject: id });
      continue;
    }
    const allowed = questionValues(q);
    if (q.kind === 'multi') {
      if (!Array.isArray(value)) issue({ issues }, 'wrong_answer_type', id, `"${id}" takes a list of values.`, { subject: id });
      else if (value.length > OR_LIMITS.multiValuesMax || new Set(value).size !== value.length) issue({ issues }, 'malformed', id, 'Too many or repeated values.');
      else for (const v of value) if (!allowed.includes(v)) issue({ issues }, 'unknown_answer_value', id, `"${id}" has no answer "${v}".`, { subject: id, value: v });
    } else if (typeof value !== 'string') issue({ issues }, 'wrong_answer_type', id, `"${id}" takes one value.`, { subject: id });
    else if (!allowed.includes(value)) issue({ issues }, 'unknown_answer_value', id, `"${id}" has no answer "${value}".`, { subject: id, value });
  }
  return issues;
}

/**
 * The result for these answers: the items of every rule that holds, less those a holding rule
 * hides, in the order kind (steps, documents, programmes, notes) and then as listed. Answers are
 * expected to pass `checkAnswers`; skipped questions are simply absent (`{"var"}` gives null).
 */
export function evaluate(rs: OrRuleSet, answers: OrAnswers): OrResult {
  const shown = new Set<string>();
  const hidden = new Set<string>();
  const rules: string[] = [];
  // A copy, so that a rule can never see (or change) anything but plain answers.
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(answers)) data[k] = Array.isArray(v) ? [...v] : v;
  for (const rule of rs.rules) {
    if (!jsonLogic.truthy(jsonLogic.apply(rule.when as jsonLogic.RulesLogic, data))) continue;
    rules.push(rule.id);
    for (const id of rule.show ?? []) shown.add(id);
    for (const id of rule.hide ?? []) hidden.add(id);
  }
  const items = rs.items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => shown.has(item.id) && !hidden.has(item.id))
    .sort((a, b) => OR_ITEM_KINDS.indexOf(a.item.kind) - OR_ITEM_KINDS.indexOf(b.item.kind) || a.index - b.index)
    .map(({ item }) => item.id);
  return { items, rules };
}

/** The text for a language, else English, else German (the two every text has). */
export function textFor(t: OrTexts | undefined, language: string): { text: string; language: string } {
  const own = isLanguageCode(language) ? t?.[language] : undefined;
  if (own) return { text: own, language };
  if (t?.en) return { text: t.en, language: 'en' };
  return { text: t?.de ?? '', language: 'de' };
}
