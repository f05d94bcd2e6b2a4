import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CaseContextDto, OrRuleSet } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { initI18n } from '../i18n/i18n.js';
import './direturn-case-summary.js';
import type { DiReturnCaseSummary } from './direturn-case-summary.js';

const ruleSet: OrRuleSet = {
  format: 1,
  example: true,
  sources: [],
  questions: [
    { id: 'country', kind: 'country', text: { de: 'Rückkehrland?', en: 'Country of return?', ar: 'بلد العودة؟' } },
    { id: 'state', kind: 'state', text: { de: 'Bundesland?', en: 'Federal state?' } },
    { id: 'residence', kind: 'single', text: { de: 'Aufenthalt?', en: 'Residence?' }, options: [{ value: 'rejected', text: { de: 'Abgelehnt / Duldung', en: 'Rejected / Duldung', ar: 'مرفوض' } }] },
    { id: 'travellers', kind: 'multi', text: { de: 'Wer reist mit?', en: 'Who travels?' }, options: [{ value: 'child', text: { de: 'Kinder', en: 'Children' } }] },
  ],
  items: [
    { id: 'step', kind: 'step', title: { de: 'Beratung', en: 'Counselling' } },
    { id: 'reag', kind: 'programme', title: { de: 'REAG/GARP 2.0', en: 'REAG/GARP 2.0' } },
  ],
  rules: [{ id: 'always', when: true, show: ['step', 'reag'] }],
};
const summary: CaseContextDto = { kind: 'case', ruleSetVersion: 4, language: 'ar', region: '05', answers: { country: 'IQ', state: '05', residence: 'rejected' }, items: ['step', 'reag'], rules: ['always'] };

describe('<direturn-case-summary>', () => {
  it('shows an Arabic visitor’s answers in the counsellor’s German through the questionnaire of the version that produced them', async () => {
    await initI18n('de');
    const asked: string[] = [];
    const api = new ApiClient({
      fetch: async (input) => {
        asked.push(String(input));
        return Response.json({ version: { version: 4, ruleSet, createdAt: 0, agentName: null, comment: null } });
      },
    });
    const el = await fixture<DiReturnCaseSummary>(html`<direturn-case-summary .api=${api} .summary=${summary}></direturn-case-summary>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('[part="answers"]'), 'no answers');
    const text = root.textContent!.replace(/\s+/g, ' ');
    expect(asked).to.deep.equal(['/api/orientation/rule-sets/4']);
    expect(text).to.contain('Fallzusammenfassung aus dem Orientierungs-Check');
    expect(text).to.contain('Regelstand 4');
    expect(text).to.contain('Nordrhein-Westfalen');
    expect(text).to.contain('Abgelehnt / Duldung');
    expect(text).not.to.contain('مرفوض');
    expect(text).to.contain('Irak (IQ)');
    expect(text).to.contain('nicht beantwortet'); // travellers skipped
    expect(text).to.contain('REAG/GARP 2.0');
    expect(text).to.contain('Beispielinhalt');
    await expect(el).to.be.accessible();
  });
});
