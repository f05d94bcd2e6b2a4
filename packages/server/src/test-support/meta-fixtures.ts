// Webhook payloads from Meta's developer documentation (channels/meta/fixtures/, each file names its page), for tests and the stand-in.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../channels/meta/fixtures/', import.meta.url));

export type FixtureName =
  | 'whatsapp-text' | 'whatsapp-image' | 'whatsapp-audio' | 'whatsapp-document' | 'whatsapp-video' | 'whatsapp-sticker'
  | 'whatsapp-bsuid-text' | 'whatsapp-errors'
  | 'whatsapp-status-sent' | 'whatsapp-status-delivered' | 'whatsapp-status-read' | 'whatsapp-status-failed'
  | 'messenger-text' | 'messenger-attachment' | 'messenger-echo' | 'messenger-delivery' | 'messenger-read' | 'messenger-postback'
  | 'instagram-text' | 'instagram-attachment' | 'instagram-echo' | 'instagram-seen';

export interface Fixture {
  /** The documentation page the payload was copied from. */
  source: string;
  note: string;
  payload: Record<string, unknown>;
}

/** A fresh copy each call: tests may change it. */
export function fixture(name: FixtureName): Fixture {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as Fixture;
}

/** The payload of a fixture (a fresh copy). */
export function payload<T = Record<string, any>>(name: FixtureName): T {
  return fixture(name).payload as T;
}
