// The approved WhatsApp templates an account may send outside the 24-hour window, as admins enter
// them in the account's `templates` setting: `name:language` pairs, comma-separated
// (e.g. `reply_waiting:de, reply_waiting:en_US`). Names and languages are the ones approved at Meta.

export interface WhatsAppTemplate {
  name: string;
  language: string;
}

const NAME = '[a-z0-9_]{1,512}';
const LANGUAGE = '[a-z]{2,3}(?:_[A-Z]{2,4})?';
/** The setting's format (also the field's pattern in CHANNEL_FIELDS). */
export const TEMPLATES_PATTERN = `^\\s*(?:${NAME}:${LANGUAGE}(?:\\s*,\\s*${NAME}:${LANGUAGE})*)?\\s*$`;

export function parseTemplates(setting: string | undefined): WhatsAppTemplate[] {
  if (!setting || !new RegExp(TEMPLATES_PATTERN).test(setting)) return [];
  return setting
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, language] = part.split(':') as [string, string];
      return { name, language };
    });
}
