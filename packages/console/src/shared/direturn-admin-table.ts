import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { repeat } from 'lit/directives/repeat.js';

/** One column of an admin table. */
export interface AdminTableColumn<T> {
  /** Column heading (text, or a template, e.g. a visually hidden label for an actions column). */
  header: string | TemplateResult;
  cell(row: T): unknown;
  /** This cell names the row (`<th scope="row">`), as the name of an agent does. */
  rowHeader?: boolean;
  /** `auto` for any text a person or the server wrote (names, addresses), so each keeps its own direction. */
  dir?: 'auto' | 'ltr';
  className?: string;
  lang?(row: T): string | undefined;
  id?(row: T): string | undefined;
}

/**
 * @summary The one list of records of the admin screens (agents, privacy notices, audit log,
 * offices, referrals): a captioned table in a horizontally scrolling wrapper, a row per record
 * keyed by id, an "empty" row, `aria-busy` while loading, and an optional full-width row under a
 * record (an edit form).
 *
 * Rendered into the light DOM on purpose: the table belongs to the screen that uses it, is
 * styled by that screen's `forms` styles (shared/styles.ts), and its rows are found by the
 * screen's own tests and by axe like any other part of the screen.
 *
 * @csspart table - The table (exposed by the screen, as the table is in the screen's shadow root).
 */
@customElement('direturn-admin-table')
export class DireturnAdminTable<T = unknown> extends LitElement {
  /** The records, in display order. */
  @property({ attribute: false }) rows: readonly T[] = [];
  @property({ attribute: false }) columns: readonly AdminTableColumn<T>[] = [];
  /** A stable key per record (keeps focus and form state on the right row when the list changes). */
  @property({ attribute: false }) key: (row: T) => string = (row) => String((row as { id?: unknown }).id);
  @property() caption = '';
  /** Shown in a single row when there are no records (and nothing is loading). */
  @property() empty = '';
  @property({ type: Boolean }) loading = false;
  /** A class for a record's row (e.g. `inactive`). */
  @property({ attribute: false }) rowClass: ((row: T) => string) | null = null;
  /** A full-width row under a record, or `nothing`. */
  @property({ attribute: false }) detail: ((row: T) => unknown) | null = null;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.style.display = 'block';
  }

  override render() {
    const cols = this.columns;
    return html`<div class="table-wrap">
      <table part="table" aria-busy=${this.loading ? 'true' : 'false'}>
        <caption>
          ${this.caption}
        </caption>
        <thead>
          <tr>
            ${cols.map((c) => html`<th scope="col">${c.header}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${this.rows.length === 0 && !this.loading
            ? html`<tr>
                <td colspan=${cols.length}>${this.empty}</td>
              </tr>`
            : repeat(
                this.rows,
                (row) => this.key(row),
                (row) => {
                  const detail = this.detail?.(row) ?? nothing;
                  return html`<tr class=${ifDefined(this.rowClass?.(row) || undefined)}>
                      ${cols.map((c) => this.cell(c, row))}
                    </tr>
                    ${detail === nothing
                      ? nothing
                      : html`<tr>
                          <td colspan=${cols.length}>${detail}</td>
                        </tr>`}`;
                },
              )}
        </tbody>
      </table>
    </div>`;
  }

  private cell(c: AdminTableColumn<T>, row: T) {
    const content = c.cell(row);
    const lang = c.lang?.(row);
    const id = c.id?.(row);
    return c.rowHeader
      ? html`<th scope="row" class=${ifDefined(c.className)} dir=${ifDefined(c.dir)} lang=${ifDefined(lang)} id=${ifDefined(id)}>${content}</th>`
      : html`<td class=${ifDefined(c.className)} dir=${ifDefined(c.dir)} lang=${ifDefined(lang)} id=${ifDefined(id)}>${content}</td>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-admin-table': DireturnAdminTable;
  }
}
