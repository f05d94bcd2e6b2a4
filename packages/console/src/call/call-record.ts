import { callMinutes, parseCallRecord } from '@direturn/protocol';
import { t } from '../i18n/i18n.js';

/** A call record (the system message a call leaves) as the console shows it: "Video call, 3 min"; undefined for other bodies. */
export function callRecordText(body: string): string | undefined {
  const call = parseCallRecord(body);
  return call ? t(`call.record.${call.media}`, { minutes: callMinutes(call.seconds) }) : undefined;
}
