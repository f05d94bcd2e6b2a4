import { LANGUAGES, type LanguageCode, isLanguageCode } from '@direturn/protocol';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

/**
 * A fieldset of checkboxes, one per language DiReturn ships, each named in its own script.
 * Read the choice back with `checkedLanguages(form, name)`.
 */
export function languagesFieldset(legend: string, name: string, selected: readonly string[], describedBy?: string) {
  return html`<fieldset aria-describedby=${ifDefined(describedBy)}>
    <legend>${legend}</legend>
    <div class="checks">
      ${LANGUAGES.map(
        (l) => html`<label class="check"
          ><input type="checkbox" name=${name} value=${l.code} .checked=${selected.includes(l.code)} /><span lang=${l.code} dir=${l.dir}
            >${l.nativeName}</span
          ></label
        >`,
      )}
    </div>
  </fieldset>`;
}

export function checkedLanguages(form: HTMLFormElement, name: string): LanguageCode[] {
  return new FormData(form).getAll(name).map(String).filter(isLanguageCode);
}
