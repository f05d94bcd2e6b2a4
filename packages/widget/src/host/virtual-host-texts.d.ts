/** Generated at build time from src/i18n/locales/*.json (`host.*`); see build/host-texts.mjs. */
declare module 'virtual:direturn-host-texts' {
  const texts: Record<string, Record<string, string>>;
  export default texts;
}
