import type { OfficeImportReport } from '@direturn/protocol';
import { ApiError } from '../api/api-error.js';

/** XMLHttpRequest, injectable for tests. */
export type XhrFactory = () => XMLHttpRequest;

/**
 * Uploads an office file with progress (fetch cannot report upload progress): `onProgress`
 * gets 0…1 while the file travels, then the server validates every row and answers the report.
 */
export function uploadOffices(
  file: Blob,
  format: 'csv' | 'json',
  dryRun: boolean,
  onProgress: (fraction: number) => void,
  xhr: XhrFactory = () => new XMLHttpRequest(),
): Promise<OfficeImportReport> {
  return new Promise((resolve, reject) => {
    const req = xhr();
    req.open('POST', `/api/offices/import?format=${format}${dryRun ? '&dryRun=1' : ''}`);
    req.withCredentials = true;
    req.setRequestHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
    req.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    req.addEventListener('load', () => {
      let data: unknown;
      try {
        data = JSON.parse(req.responseText);
      } catch {
        data = undefined;
      }
      if (req.status >= 200 && req.status < 300 && data) return resolve(data as OfficeImportReport);
      const error = (data as { error?: { code?: string; message?: string; issues?: string[] } } | undefined)?.error;
      reject(new ApiError(req.status, (error?.code as never) ?? 'bad_response', error?.message ?? `HTTP ${req.status}`, error?.issues ?? []));
    });
    req.addEventListener('error', () => reject(new ApiError(0, 'network_error', 'Network error')));
    req.send(file);
  });
}
