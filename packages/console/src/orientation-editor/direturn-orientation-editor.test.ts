import type { OrIssue, OrRuleSet, OrRuleSetVersionDto } from '@direturn/protocol';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import { json, stubFetch } from '../test/helpers.js';
import './direturn-orientation-editor.js';
import type { DiReturnOrientationEditor } from './direturn-orientation-editor.js';

const ruleSet: OrRuleSet = {
  format: 1,
  example: true,
  sources: [],
  questions: [{ id: 'residence', kind: 'single', text: { de: 'Aufenthalt?', en: 'Residence?' }, options: [{ value: 'rejected', text: { de: 'Abgelehnt', en: 'Rejected' } }] }],
  items: [{ id: 'step', kind: 'step', title: { de: 'Beratung', en: 'Counselling' } }],
  rules: [{ id: 'always', when: true, show: ['step'] }],
};

/**
 * What the protocol's validator answers for the broken rule set below (its own tests check these
 * issues; json-logic-js is CommonJS, which this browser test runner does not load).
 */
const BROKEN_ISSUES: OrIssue[] = [
  { code: 'unknown_answer_value', path: 'rules.1.when', message: 'Question "residence" has no answer "deported".', params: { subject: 'residence', value: 'deported' } },
  { code: 'unknown_item', path: 'rules.1', message: 'No item "nothing_here".', params: { subject: 'nothing_here' } },
];

/** A server that keeps versions; its check finds problems only in a rule set with a rule "bad". */
function server() {
  const versions: OrRuleSetVersionDto[] = [{ version: 1, ruleSet, createdAt: Date.UTC(2026, 11, 1, 9), agentName: null, comment: null }];
  const list = () => [...versions].reverse().map((v) => ({ version: v.version, createdAt: v.createdAt, agentName: v.agentName, comment: v.comment, example: !!v.ruleSet.example }));
  return stubFetch((method, url, body) => {
    const path = new URL(url, 'http://x').pathname;
    if (method === 'GET' && path === '/api/orientation/rule-sets') return json(200, { versions: list() });
    const one = /^\/api\/orientation\/rule-sets\/(\d+)$/.exec(path);
    if (method === 'GET' && one) return json(200, { version: versions.find((v) => v.version === Number(one[1])) });
    const sent = (body as { ruleSet?: unknown } | undefined)?.ruleSet;
    if (method === 'POST' && path === '/api/orientation/rule-sets/check') {
      if (typeof sent !== 'object' || sent === null || !Array.isArray((sent as OrRuleSet).rules)) {
        return json(400, { error: { code: 'validation_failed', message: 'ruleSet.rules: Invalid type', issues: ['ruleSet.rules: Invalid type'] } });
      }
      return json(200, { issues: (sent as OrRuleSet).rules.some((r) => r.id === 'bad') ? BROKEN_ISSUES : [] });
    }
    if (method === 'POST' && path === '/api/orientation/rule-sets') {
      const v = { version: versions.length + 1, ruleSet: sent as OrRuleSet, createdAt: Date.UTC(2026, 11, 7, 12), agentName: 'Erika', comment: (body as { comment?: string }).comment ?? null };
      versions.push(v);
      return json(201, { version: v });
    }
    return undefined;
  });
}

async function render() {
  const stub = server();
  const el = await fixture<DiReturnOrientationEditor>(html`<direturn-orientation-editor .api=${new ApiClient({ fetch: stub.fetch })}></direturn-orientation-editor>`);
  const root = el.shadowRoot!;
  const area = () => root.querySelector<HTMLTextAreaElement>('textarea[part="editor"]')!;
  await waitUntil(() => area().value.includes('"residence"'), 'the latest version was not loaded');
  const type = async (text: string) => {
    area().value = text;
    area().dispatchEvent(new Event('input'));
    await el.updateComplete;
  };
  const button = (name: RegExp) => [...root.querySelectorAll('button')].find((b) => name.test(b.textContent ?? ''))!;
  const status = () => root.querySelector('[role="status"]')!.textContent!.replace(/\s+/g, ' ').trim();
  return { el, root, stub, area, type, button, status };
}

describe('<direturn-orientation-editor>', () => {
  before(() => initI18n('de'));

  it('loads the latest version and lists every version with who saved it', async () => {
    const { root } = await render();
    const items = [...root.querySelectorAll('[part="versions"] li')].map((li) => li.textContent!.replace(/\s+/g, ' '));
    expect(items).to.have.length(1);
    expect(items[0]).to.contain('mitgeliefertes Beispiel');
  });

  it('names each problem in the editor’s language with its place, and saves nothing while there are any', async () => {
    const { root, stub, type, button, status, el } = await render();
    const broken = structuredClone(ruleSet);
    broken.rules.push({ id: 'bad', when: { '==': [{ var: 'residence' }, 'deported'] }, show: ['nothing_here'] });
    await type(JSON.stringify(broken));
    button(/Als neuen Regelstand speichern/).click();
    await waitUntil(() => root.querySelectorAll('[part="issues"] li').length > 0, 'no issues shown');
    await el.updateComplete;
    const lines = [...root.querySelectorAll('[part="issues"] li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(lines.some((l) => l.includes('Die Frage „residence“ hat keine Antwort „deported“.') && l.includes('rules.1.when'))).to.equal(true, lines.join('\n'));
    expect(lines.some((l) => l.includes('Es gibt kein Ergebnis „nothing_here“.'))).to.equal(true, lines.join('\n'));
    // The English detail is there, marked as English, never as the sentence itself.
    expect(root.querySelector('[part="issues"] li [lang="en"]')).to.not.equal(null);
    expect(status()).to.contain('nichts wurde gespeichert');
    expect(stub.calls.filter((c) => c.method === 'POST' && c.url === '/api/orientation/rule-sets')).to.have.length(0);
  });

  it('says when the text is not JSON or not a rule set, in German', async () => {
    const { type, button, status, stub } = await render();
    await type('{ "format": 1, ');
    button(/^Prüfen$/).click();
    await waitUntil(() => status().includes('kein gültiges JSON'), status());
    await type('{ "format": 1 }');
    button(/^Prüfen$/).click();
    await waitUntil(() => status().includes('Der Server hat diesen Regelsatz abgelehnt'), status());
    expect(status()).to.not.contain('Invalid type');
    expect(stub.calls.filter((c) => c.method === 'POST' && c.url === '/api/orientation/rule-sets')).to.have.length(0);
  });

  it('saves a valid rule set as a new version with the comment and lists it first', async () => {
    const { root, stub, type, button, status } = await render();
    const changed = structuredClone(ruleSet);
    changed.items[0]!.title.de = 'Beratung zuerst';
    await type(JSON.stringify(changed));
    const comment = root.querySelector<HTMLInputElement>('input[type="text"]')!;
    comment.value = 'Titel geschärft';
    comment.dispatchEvent(new Event('input'));
    button(/Als neuen Regelstand speichern/).click();
    await waitUntil(() => status().includes('Regelstand 2 gespeichert'), status());
    const saved = stub.calls.find((c) => c.method === 'POST' && c.url === '/api/orientation/rule-sets')!;
    expect(saved.body).to.deep.equal({ ruleSet: changed, comment: 'Titel geschärft' });
    await waitUntil(() => root.querySelectorAll('[part="versions"] li').length === 2, 'list not refreshed');
    expect(root.querySelector('[part="versions"] li')!.textContent).to.contain('Erika').and.to.contain('Titel geschärft');
  });
});
