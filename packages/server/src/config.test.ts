import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('DIRETURN_AUDIT_RETENTION_DAYS', () => {
  it('defaults to 365 days', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(365);
  });

  it('takes a whole number of days from 1 to 3650', () => {
    expect(loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: '1' }).auditRetentionDays).toBe(1);
    expect(loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: '30' }).auditRetentionDays).toBe(30);
    expect(loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: '3650' }).auditRetentionDays).toBe(3650);
  });

  it.each(['0', '-1', '3651', '1.5', 'abc', '', 'one year'])('rejects %j with one readable line naming the variable', (value) => {
    const error = (() => {
      try {
        loadConfig({ DIRETURN_AUDIT_RETENTION_DAYS: value });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe(
      'Invalid configuration:\n  DIRETURN_AUDIT_RETENTION_DAYS: DIRETURN_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650',
    );
  });
});
