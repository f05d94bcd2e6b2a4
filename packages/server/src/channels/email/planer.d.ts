// planer 1.2.0 ships no types: the one function DiReturn calls (lib/planer.js, README "Usage").
declare module 'planer' {
  /** The message without the quoted reply history; for 'text/plain' no DOM is needed. */
  export function extractFrom(body: string, contentType: 'text/plain' | 'text/html', dom?: unknown): string;
  const planer: { extractFrom: typeof extractFrom };
  export default planer;
}
