// The approved WhatsApp templates an account may send outside the 24-hour window, as admins enter
// them in the account's `templates` setting: `name:language` pairs, comma-separated
// (e.g. `reply_waiting:de, reply_waiting:en_US`). Names and languages are the ones approved at Meta.
import { WHATSAPP_TEMPLATES_PATTERN } from '@direturn/protocol';

export interface WhatsAppTemplate {
  name: string;
  language: string;
}

const FORMAT = new RegExp(WHATSAPP_TEMPLATES_PATTERN);

export function parseTemplates(setting: string | undefined): WhatsAppTemplate[] {
  if (!setting || !FORMAT.test(setting)) return [];
  return setting
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, language] = part.split(':') as [string, string];
      return { name, language };
    });
}
