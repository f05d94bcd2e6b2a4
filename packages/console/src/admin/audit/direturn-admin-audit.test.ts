import { AUDIT_ACTIONS, type AuditEntryDto } from '@direturn/protocol';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../../api/api-client.js';
import { UI_LANGUAGES, initI18n } from '../../i18n/i18n.js';
import { json, stubFetch } from '../../test/helpers.js';
import { AUDIT_PAGE_SIZE } from './direturn-admin-audit.js';
import './direturn-admin-audit.js';
import type { DireturnAdminAudit } from './direturn-admin-audit.js';

const CONV = '11111111-1111-4111-8111-111111111111';
const entry = (i: number): AuditEntryDto => ({
  id: `e${i}`,
  at: 1_700_000_000_000 - i * 1000,
  agentId: i % 2 ? 'a1' : null,
  agentName: i % 2 ? 'Anna' : null,
  action: i % 2 ? 'conversation.exported' : 'retention.deleted',
  conversationId: i % 2 ? CONV : null,
  targetAgentId: null,
  details: {},
});
const ALL = Array.from({ length: AUDIT_PAGE_SIZE + 3 }, (_, i) => entry(i));

async function render() {
  const stub = stubFetch((method, url) => {
    const u = new URL(url, 'http://x');
    if (method !== 'GET' || u.pathname !== '/api/audit') return undefined;
    const before = u.searchParams.get('before');
    const conv = u.searchParams.get('conversationId');
    let list = ALL.filter((e) => (before ? e.at < Number(before) : true) && (conv ? e.conversationId === conv : true));
    list = list.slice(0, Number(u.searchParams.get('limit') ?? 100));
    return json(200, { entries: list });
  });
  const el = await fixture<DireturnAdminAudit>(html`<direturn-admin-audit .api=${new ApiClient({ fetch: stub.fetch })}></direturn-admin-audit>`);
  const root = el.shadowRoot!;
  await waitUntil(() => root.querySelectorAll('tbody tr').length > 1, 'no entries');
  return { el, root, stub };
}

describe('<direturn-admin-audit>', () => {
  before(() => initI18n('en'));

  it('shows time, agent, action and conversation, newest first, and pages by before', async () => {
    const { root, stub } = await render();
    expect([...root.querySelectorAll('thead th')].map((th) => th.textContent!.trim())).to.deep.equal(['Time', 'Agent', 'Action', 'Conversation']);
    const rows = root.querySelectorAll('tbody tr');
    expect(rows).to.have.length(AUDIT_PAGE_SIZE);
    expect(rows[1]!.textContent).to.contain('Anna').and.to.contain('Conversation exported').and.to.contain(CONV);
    expect(rows[0]!.textContent).to.contain('System or visitor').and.to.contain('Deleted after the retention period');
    expect(rows[0]!.querySelector('time')!.getAttribute('datetime')).to.equal(new Date(ALL[0]!.at).toISOString());
    root.querySelector<HTMLButtonElement>('[part="more"]')!.click();
    await waitUntil(() => root.querySelectorAll('tbody tr').length === ALL.length, 'older entries not added');
    expect(stub.calls.at(-1)!.url).to.equal(`/api/audit?limit=${AUDIT_PAGE_SIZE}&before=${ALL[AUDIT_PAGE_SIZE - 1]!.at}`);
    expect(root.querySelector('[part="more"]')).to.equal(null);
  });

  it('filters by conversation', async () => {
    const { root, stub } = await render();
    root.querySelector<HTMLInputElement>('input[name="conversationId"]')!.value = CONV;
    root.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await waitUntil(() => stub.calls.at(-1)!.url.includes('conversationId'), 'not filtered');
    await waitUntil(() => [...root.querySelectorAll('tbody tr')].every((r) => r.textContent!.includes(CONV)), 'rows not filtered');
    expect(root.querySelector('caption')!.textContent).to.contain(CONV);
  });

  for (const lang of ['de', 'ar', 'ru'] as const) {
    it(`is accessible in ${lang}`, async () => {
      await initI18n(lang);
      const { el } = await render();
      await expect(el).to.be.accessible();
      await initI18n('en');
    });
  }

  it('names every action the server records, in every language (never the raw action code)', async () => {
    for (const lng of UI_LANGUAGES) {
      const texts = (await (await fetch(new URL(`../../i18n/locales/${lng}.json`, import.meta.url))).json()) as { admin: { audit: { actions: Record<string, Record<string, string>> } } };
      const missing = AUDIT_ACTIONS.filter((a) => {
        const [group, name] = a.split('.') as [string, string];
        return !texts.admin.audit.actions[group]?.[name];
      });
      expect(missing, lng).to.deep.equal([]);
    }
  });
});
