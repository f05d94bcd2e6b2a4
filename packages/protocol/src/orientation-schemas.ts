/** Schemas of the orientation check's inputs (re-exported by schemas.ts; browsers never bundle them). */
import * as v from 'valibot';
import { LANGUAGE_CODES } from './languages.js';
import { OR_ITEM_KINDS, OR_LIMITS, OR_QUESTION_KINDS, type OrCondition } from './orientation.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(OR_LIMITS.idMaxChars));
const ids = (max: number) => v.optional(v.pipe(v.array(id), v.maxLength(max)));
const texts = v.pipe(
  v.record(v.picklist(LANGUAGE_CODES as [string, ...string[]], 'unsupported language'), v.pipe(v.string(), v.maxLength(OR_LIMITS.textMaxChars))),
);
/** JSON logic as data: nesting and size are bounded here, meaning is checked by validateRuleSet. */
const condition = v.pipe(
  v.union([v.boolean(), v.pipe(v.record(v.string(), v.unknown()), v.check((o) => Object.keys(o).length === 1, 'one operator per object'))]),
  v.check((c) => depth(c) <= 12, 'nested too deeply'),
) as v.GenericSchema<unknown, OrCondition>;

function depth(x: unknown): number {
  if (typeof x !== 'object' || x === null) return 0;
  let d = 0;
  for (const y of Object.values(x)) d = Math.max(d, depth(y));
  return d + 1;
}

/** The structure of a rule set (the editor API's body); `validateRuleSet` then checks its meaning. */
export const OrRuleSetSchema = v.strictObject({
  format: v.literal(1),
  example: v.boolean(),
  note: v.optional(v.pipe(v.string(), v.maxLength(2000))),
  sources: v.pipe(v.array(v.strictObject({ id, title: v.pipe(v.string(), v.maxLength(300)), url: v.pipe(v.string(), v.maxLength(2000)) })), v.maxLength(100)),
  questions: v.pipe(
    v.array(
      v.strictObject({
        id,
        kind: v.picklist(OR_QUESTION_KINDS),
        text: texts,
        help: v.optional(texts),
        options: v.optional(v.pipe(v.array(v.strictObject({ value: id, text: texts })), v.maxLength(OR_LIMITS.optionsMax))),
      }),
    ),
    v.maxLength(OR_LIMITS.questionsMax),
  ),
  items: v.pipe(
    v.array(
      v.strictObject({
        id,
        kind: v.picklist(OR_ITEM_KINDS),
        title: texts,
        text: v.optional(texts),
        articles: ids(20),
        sources: ids(20),
      }),
    ),
    v.maxLength(OR_LIMITS.itemsMax),
  ),
  rules: v.pipe(
    v.array(
      v.strictObject({
        id,
        when: condition,
        show: ids(OR_LIMITS.itemsMax),
        hide: ids(OR_LIMITS.itemsMax),
        sources: ids(20),
        comment: v.optional(v.pipe(v.string(), v.maxLength(2000))),
      }),
    ),
    v.maxLength(OR_LIMITS.rulesMax),
  ),
});

export const OrRuleSetSaveSchema = v.strictObject({
  ruleSet: OrRuleSetSchema,
  /** What changed, for the version list. */
  comment: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500))),
});

const answerValue = v.pipe(v.string(), v.maxLength(OR_LIMITS.idMaxChars));
/** A visitor's answers: bounded in keys, values and length; their meaning is checked against the current questionnaire. */
export const OrAnswersSchema = v.pipe(
  v.record(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,39}$/, 'not a question id')), v.union([answerValue, v.pipe(v.array(answerValue), v.maxLength(OR_LIMITS.multiValuesMax))])),
  v.check((a) => Object.keys(a).length <= OR_LIMITS.answersMax, 'too many answers'),
);

/** "Send to a counsellor": the answers and the version the widget evaluated them with. */
export const CaseContextInputSchema = v.strictObject({
  kind: v.literal('case'),
  ruleSetVersion: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000_000)),
  answers: OrAnswersSchema,
});
