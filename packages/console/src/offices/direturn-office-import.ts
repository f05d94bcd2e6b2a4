import type { OfficeImportReport } from '@direturn/protocol';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { isApiError } from '../api/api-error.js';
import { I18nController, t } from '../i18n/i18n.js';
import { buttons, forms, tokens } from '../shared/styles.js';
import { uploadOffices, type XhrFactory } from './office-upload.js';

/** An import changed the directory. */
export class OfficesImportedEvent extends Event {
  static readonly eventName = 'direturn-offices-imported';
  constructor(readonly report: OfficeImportReport) {
    super(OfficesImportedEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * @summary Admin: imports the office directory from a CSV or JSON file (format from the file
 * name), with upload progress, an optional dry run, and the report: created, updated, and every
 * rejected row with its reasons. With any rejected row nothing is imported.
 *
 * @fires direturn-offices-imported - The directory changed (`report`).
 * @csspart progress - The upload progress bar.
 * @csspart report - The import report.
 */
@customElement('direturn-office-import')
export class DireturnOfficeImport extends LitElement {
  static override styles = [
    tokens,
    buttons,
    forms,
    css`
      :host {
        display: block;
      }
      progress {
        inline-size: min(100%, 24rem);
      }
      .rejected td:first-child {
        white-space: nowrap;
      }
    `,
  ];

  /** Tests inject a fake XMLHttpRequest. */
  @property({ attribute: false }) xhr: XhrFactory | undefined;

  @state() private progress: number | null = null;
  @state() private validating = false;
  @state() private report: OfficeImportReport | null = null;
  @state() private error = '';

  private readonly i18n = new I18nController(this);

  override render() {
    const r = this.report;
    return html`<h2>${t('offices.import.title')}</h2>
      <p class="hint">${t('offices.import.hint')}</p>
      <form @submit=${this.submit} novalidate>
        <label>${t('offices.import.file')}<input type="file" name="file" accept=".csv,.json,text/csv,application/json" required /></label>
        <label class="check"><input type="checkbox" name="dryRun" /> ${t('offices.import.dryRun')}</label>
        <div class="actions"><button type="submit" ?disabled=${this.progress !== null}>${t('offices.import.submit')}</button></div>
      </form>
      <div aria-live="polite">
        ${this.progress !== null
          ? html`<p>
              <label
                >${this.validating ? t('offices.import.validating') : t('offices.import.uploading', { percent: Math.round(this.progress * 100) })}
                <progress part="progress" max="1" .value=${this.validating ? null : this.progress}></progress
              ></label>
            </p>`
          : nothing}
      </div>
      <div role="alert">${this.error ? html`<p class="error">${this.error}</p>` : nothing}</div>
      ${r
        ? html`<section part="report" aria-labelledby="report-title">
            <h3 id="report-title" tabindex="-1">
              ${r.applied ? t('offices.import.applied') : r.dryRun && r.rejected.length === 0 ? t('offices.import.dryRunOk') : t('offices.import.notApplied')}
            </h3>
            <p>${t('offices.import.counts', { rows: r.rows, created: r.created.length, updated: r.updated.length, rejected: r.rejected.length })}</p>
            ${r.rejected.length
              ? html`<div class="table-wrap">
                  <table class="rejected">
                    <caption>
                      ${t('offices.import.rejectedCaption')}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">${t('offices.import.row')}</th>
                        <th scope="col">${t('offices.fields.name')}</th>
                        <th scope="col">${t('offices.import.reasons')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${r.rejected.map(
                        (x) => html`<tr>
                          <td>${x.row}</td>
                          <td dir="auto">${x.name ?? '–'}</td>
                          <td>
                            <ul>
                              ${x.reasons.map((reason) => html`<li>${reason}</li>`)}
                            </ul>
                          </td>
                        </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
              : nothing}
          </section>`
        : nothing}`;
  }

  private readonly submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get('file');
    this.error = '';
    if (!(file instanceof File) || file.size === 0) {
      this.error = t('offices.import.noFile');
      return;
    }
    const format = /\.json$/i.test(file.name) || file.type === 'application/json' ? 'json' : 'csv';
    this.report = null;
    this.progress = 0;
    this.validating = false;
    try {
      this.report = await uploadOffices(
        file,
        format,
        data.get('dryRun') === 'on',
        (p) => {
          this.progress = p;
          if (p >= 1) this.validating = true;
        },
        this.xhr,
      );
      if (this.report.applied) this.dispatchEvent(new OfficesImportedEvent(this.report));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#report-title')?.focus();
    } catch (err) {
      this.error = isApiError(err, 'network_error') ? t('common.errors.network') : isApiError(err) ? err.message : t('common.errors.generic');
    } finally {
      this.progress = null;
      this.validating = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'direturn-office-import': DireturnOfficeImport;
  }
  interface GlobalEventHandlersEventMap {
    'direturn-offices-imported': OfficesImportedEvent;
  }
}
