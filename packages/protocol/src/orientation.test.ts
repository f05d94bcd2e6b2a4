import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAnswers, evaluate, validateRuleSet } from './orientation-engine.js';
import { queueRank, type OrIssueCode, type OrRuleSet } from './orientation.js';
import { CaseContextInputSchema, OrRuleSetSchema, VisitorFrameSchema } from './schemas.js';
import * as v from 'valibot';

const CONTENT = new URL('../../server/content/orientation/', import.meta.url);
const example = JSON.parse(readFileSync(new URL('example-rule-set.json', CONTENT), 'utf8')) as OrRuleSet;
const criteria = JSON.parse(readFileSync(new URL('criteria-cases.json', CONTENT), 'utf8')) as {
  cases: { name: string; answers: Record<string, string | string[]>; includes: string[]; excludes: string[] }[];
};

const de_en = (de: string, en: string) => ({ de, en });
/** A small valid rule set the error cases below each break in one way. */
function base(): OrRuleSet {
  return {
    format: 1,
    example: false,
    sources: [{ id: 'src', title: 'Source', url: 'https://example.org/' }],
    questions: [
      { id: 'residence', kind: 'single', text: de_en('Aufenthalt?', 'Residence?'), options: [
        { value: 'rejected', text: de_en('Abgelehnt', 'Rejected') },
        { value: 'eu_citizen', text: de_en('EU', 'EU') },
      ] },
      { id: 'country', kind: 'country', text: de_en('Land?', 'Country?') },
      { id: 'travellers', kind: 'multi', text: de_en('Wer?', 'Who?'), options: [{ value: 'child', text: de_en('Kind', 'Child') }] },
    ],
    items: [
      { id: 'step', kind: 'step', title: de_en('Beratung', 'Counselling') },
      { id: 'reag', kind: 'programme', title: de_en('REAG/GARP', 'REAG/GARP'), sources: ['src'] },
      { id: 'minors', kind: 'note', title: de_en('Kinder', 'Children') },
    ],
    rules: [
      { id: 'always', when: true, show: ['step'] },
      { id: 'reag', when: { '==': [{ var: 'residence' }, 'rejected'] }, show: ['reag'] },
      { id: 'eu', when: { in: [{ var: 'country' }, ['RO', 'BG']] }, hide: ['reag'] },
      { id: 'minors', when: { in: ['child', { var: 'travellers' }] }, show: ['minors'] },
    ],
  };
}
const codes = (rs: OrRuleSet): OrIssueCode[] => validateRuleSet(rs).map((i) => i.code);

describe('rule-set validation', () => {
  it('accepts a valid rule set and the shipped example (which passes the edge schema too)', () => {
    expect(validateRuleSet(base())).toEqual([]);
    expect(validateRuleSet(example)).toEqual([]);
    expect(v.safeParse(OrRuleSetSchema, example).success).toBe(true);
    expect(example.example).toBe(true);
  });

  it('unknown question in a condition', () => {
    const rs = base();
    rs.rules[1]!.when = { '==': [{ var: 'residency' }, 'rejected'] };
    expect(codes(rs)).toEqual(['unknown_question']);
    expect(validateRuleSet(rs)[0]!.path).toBe('rules.1.when');
  });

  it('unknown answer value (option, country code)', () => {
    const rs = base();
    rs.rules[1]!.when = { '==': [{ var: 'residence' }, 'refused'] };
    rs.rules[2]!.when = { in: [{ var: 'country' }, ['RO', 'XX']] };
    expect(codes(rs)).toEqual(['unknown_answer_value', 'unknown_answer_value']);
    // What the console needs to say it in the editor's language.
    expect(validateRuleSet(rs).map((i) => i.params)).toEqual([
      { subject: 'residence', value: 'refused' },
      { subject: 'country', value: 'XX' },
    ]);
  });

  it('operators outside the checkable subset, and the wrong operator for a question kind', () => {
    const rs = base();
    rs.rules[1]!.when = { '>': [{ var: 'residence' }, 'a'] };
    rs.rules[2]!.when = { and: [] };
    rs.rules[3]!.when = { '==': [{ var: 'travellers' }, 'child'] };
    expect(codes(rs)).toEqual(['unsupported_condition', 'unsupported_condition', 'wrong_question_kind']);
  });

  it('results (and questions, options) without German or English text', () => {
    const rs = base();
    rs.items[1]!.title = { de: 'REAG/GARP', ar: 'REAG/GARP' };
    rs.questions[0]!.options![0]!.text = { en: 'Rejected' };
    const issues = validateRuleSet(rs);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['missing_text', 'questions.0.options.0.text.de'],
      ['missing_text', 'items.1.title.en'],
    ]);
  });

  it('sums of money in a result (nothing promises money)', () => {
    const rs = base();
    rs.items[1]!.text = { de: 'Bis zu 1.000 € Starthilfe', en: 'Up to EUR 1000' };
    expect(codes(rs)).toEqual(['amount_in_text']);
  });

  it('a rule that contradicts itself', () => {
    const rs = base();
    rs.rules[1]!.when = { and: [{ '==': [{ var: 'residence' }, 'rejected'] }, { '==': [{ var: 'residence' }, 'eu_citizen'] }] };
    expect(codes(rs)).toContain('unsatisfiable_rule');
    const multi = base();
    multi.rules[3]!.when = { and: [{ in: ['child', { var: 'travellers' }] }, { '!': { in: ['child', { var: 'travellers' }] } }] };
    expect(codes(multi)).toContain('unsatisfiable_rule');
  });

  it('an item that a hiding rule makes unreachable, or that no rule shows', () => {
    const rs = base();
    // hidden whenever it could be shown: shown for rejected, hidden for rejected too
    rs.rules[2]!.when = { '==': [{ var: 'residence' }, 'rejected'] };
    expect(validateRuleSet(rs).map((i) => [i.code, i.path])).toEqual([['unreachable_item', 'items.1']]);
    const orphan = base();
    orphan.rules[3]!.show = [];
    expect(validateRuleSet(orphan).map((i) => [i.code, i.path])).toEqual([['unreachable_item', 'items.2']]);
  });

  it('a hide that only covers some cases leaves the item reachable', () => {
    const rs = base();
    rs.rules[2]!.when = { and: [{ '==': [{ var: 'residence' }, 'rejected'] }, { in: [{ var: 'country' }, ['RO']] }] };
    expect(validateRuleSet(rs)).toEqual([]);
  });

  it('unknown items, sources and duplicate ids', () => {
    const rs = base();
    rs.rules[0]!.show = ['step', 'stpe'];
    rs.items[1]!.sources = ['nope'];
    rs.rules.push({ id: 'always', when: false, show: [] });
    expect(codes(rs)).toEqual(['duplicate_id', 'unknown_source', 'unknown_item', 'unsatisfiable_rule']);
  });

  it('the edge schema refuses malformed structure and oversized input', () => {
    const rs = base() as unknown as Record<string, unknown>;
    expect(v.safeParse(OrRuleSetSchema, { ...rs, extra: 1 }).success).toBe(false);
    expect(v.safeParse(OrRuleSetSchema, { ...rs, questions: [{ id: 'x', kind: 'free_text', text: {} }] }).success).toBe(false);
    let deep: unknown = true;
    for (let i = 0; i < 20; i++) deep = { '!': deep };
    expect(v.safeParse(OrRuleSetSchema, { ...rs, rules: [{ id: 'deep', when: deep }] }).success).toBe(false);
  });
});

describe('answers', () => {
  it('finds unknown questions, values and types', () => {
    const rs = base();
    expect(checkAnswers(rs, { residence: 'rejected', country: 'IQ', travellers: ['child'] })).toEqual([]);
    expect(checkAnswers(rs, { residense: 'rejected' }).map((i) => i.code)).toEqual(['unknown_question']);
    expect(checkAnswers(rs, { residence: 'maybe', country: 'XX' }).map((i) => i.code)).toEqual(['unknown_answer_value', 'unknown_answer_value']);
    expect(checkAnswers(rs, { residence: ['rejected'], travellers: 'child' }).map((i) => i.code)).toEqual(['wrong_answer_type', 'wrong_answer_type']);
  });

  it('the frame schema bounds what a case summary can carry', () => {
    const ok = { kind: 'case', ruleSetVersion: 3, answers: { residence: 'rejected', travellers: ['child'] } };
    expect(v.safeParse(CaseContextInputSchema, ok).success).toBe(true);
    const many = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`q${i}`, 'a']));
    expect(v.safeParse(CaseContextInputSchema, { ...ok, answers: many }).success).toBe(false);
    expect(v.safeParse(CaseContextInputSchema, { ...ok, answers: { residence: 'x'.repeat(41) } }).success).toBe(false);
    expect(v.safeParse(CaseContextInputSchema, { ...ok, answers: { 'Bad Key': 'a' } }).success).toBe(false);
    expect(v.safeParse(CaseContextInputSchema, { ...ok, answers: { travellers: [{}] } }).success).toBe(false);
    expect(v.safeParse(CaseContextInputSchema, { ...ok, ruleSetVersion: 0 }).success).toBe(false);
    // and it travels inside the visitor's send frame
    expect(v.safeParse(VisitorFrameSchema, { type: 'send', clientId: 'abcdefgh12', body: 'Hallo', context: ok }).success).toBe(true);
  });
});

describe('evaluation', () => {
  it('shows, hides and orders the items (steps first, as listed)', () => {
    const rs = base();
    expect(evaluate(rs, { residence: 'rejected', travellers: ['child'] })).toEqual({ items: ['step', 'reag', 'minors'], rules: ['always', 'reag', 'minors'] });
    expect(evaluate(rs, { residence: 'rejected', country: 'RO' }).items).toEqual(['step']);
    expect(evaluate(rs, {}).items).toEqual(['step']);
  });

  it(`follows the published criteria (${criteria.cases.length} cases)`, () => {
    expect(criteria.cases.length).toBeGreaterThanOrEqual(10);
    for (const c of criteria.cases) {
      expect(checkAnswers(example, c.answers), c.name).toEqual([]);
      const { items } = evaluate(example, c.answers);
      for (const id of c.includes) expect(items, `${c.name}: shows ${id}`).toContain(id);
      for (const id of c.excludes) expect(items, `${c.name}: does not show ${id}`).not.toContain(id);
    }
  });

  it('no result text of the example names a sum of money', () => {
    for (const item of example.items) for (const text of [...Object.values(item.title), ...Object.values(item.text ?? {})]) expect(text).not.toMatch(/€|\bEUR\b/);
  });
});

describe('routing', () => {
  it('ranks language and region first, then language, then region', () => {
    const agent = { languages: ['ar', 'de'], regions: ['05'] };
    expect(queueRank({ language: 'ar', region: '05' }, agent)).toBe(0);
    expect(queueRank({ language: 'ar', region: '09' }, agent)).toBe(1);
    expect(queueRank({ language: 'fa', region: '05' }, agent)).toBe(2);
    expect(queueRank({ language: 'fa', region: null }, agent)).toBe(3);
    expect(queueRank({ language: 'ar' }, { languages: ['ar'] })).toBe(1);
  });
});
