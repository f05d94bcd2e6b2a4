import { expect, fixture, html } from '@open-wc/testing';
import { nothing } from 'lit';
import './direturn-admin-table.js';
import type { AdminTableColumn, DireturnAdminTable } from './direturn-admin-table.js';

interface Row {
  id: string;
  name: string;
  active: boolean;
}
const columns: AdminTableColumn<Row>[] = [
  { header: 'Name', rowHeader: true, dir: 'auto', id: (r) => `row-${r.id}`, cell: (r) => r.name },
  { header: 'State', className: 'state', cell: (r) => (r.active ? 'active' : 'off') },
];
const rows: Row[] = [
  { id: 'a', name: 'Anna', active: true },
  { id: 'b', name: 'مريم', active: false },
];

describe('<direturn-admin-table>', () => {
  it('renders a captioned table in its own light DOM, one row per record, names as row headers', async () => {
    const el = await fixture<DireturnAdminTable<Row>>(html`<direturn-admin-table
      .rows=${rows}
      .columns=${columns}
      .rowClass=${(r: Row) => (r.active ? '' : 'inactive')}
      caption="People"
    ></direturn-admin-table>`);
    expect(el.shadowRoot).to.equal(null);
    expect(el.querySelector('caption')!.textContent!.trim()).to.equal('People');
    expect([...el.querySelectorAll('thead th')].map((th) => th.textContent)).to.deep.equal(['Name', 'State']);
    const body = [...el.querySelectorAll('tbody tr')];
    expect(body).to.have.length(2);
    const name = body[1]!.querySelector('th[scope="row"]')!;
    expect(name.textContent).to.equal('مريم');
    expect(name.getAttribute('dir')).to.equal('auto');
    expect(name.id).to.equal('row-b');
    expect(body[1]!.className).to.equal('inactive');
    expect(body[0]!.hasAttribute('class')).to.equal(false);
    expect(body[0]!.querySelector('td.state')!.textContent).to.equal('active');
    await expect(el).to.be.accessible();
  });

  it('shows the empty text only when nothing is loading, and marks the table busy', async () => {
    const el = await fixture<DireturnAdminTable<Row>>(html`<direturn-admin-table .columns=${columns} caption="People" empty="Nobody yet" loading></direturn-admin-table>`);
    expect(el.querySelector('table')!.getAttribute('aria-busy')).to.equal('true');
    expect(el.querySelector('tbody')!.textContent!.trim()).to.equal('');
    el.loading = false;
    await el.updateComplete;
    const cell = el.querySelector('tbody td')!;
    expect(cell.textContent).to.equal('Nobody yet');
    expect(cell.getAttribute('colspan')).to.equal('2');
  });

  it('adds a full-width row under a record and keeps rows by key when the list changes', async () => {
    let open = 'a';
    const el = await fixture<DireturnAdminTable<Row>>(html`<direturn-admin-table
      .rows=${rows}
      .columns=${columns}
      .detail=${(r: Row) => (r.id === open ? html`<form aria-label="edit"></form>` : nothing)}
    ></direturn-admin-table>`);
    expect(el.querySelectorAll('tbody tr')).to.have.length(3);
    expect(el.querySelector('tbody tr:nth-child(2) td')!.getAttribute('colspan')).to.equal('2');
    const anna = el.querySelector('#row-a')!.parentElement;
    open = '';
    el.rows = [{ id: 'c', name: 'Chris', active: true }, ...rows];
    await el.updateComplete;
    expect(el.querySelectorAll('tbody tr')).to.have.length(3);
    expect(el.querySelector('#row-a')!.parentElement).to.equal(anna);
  });
});
