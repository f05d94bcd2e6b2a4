/** Generated at build time from src/i18n/locales/*.json (`host.*`); see build/locales.mjs. */
declare module 'virtual:direturn-host-texts' {
  /** `{ de: [title, unread], ... }` */
  const texts: Record<string, [string, string]>;
  export default texts;
}
