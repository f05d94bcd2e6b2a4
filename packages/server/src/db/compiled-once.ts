import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import { dialectOf } from './dialect.js';
import type { Db, DialectName } from './storage.js';

/** Stands for a value in a query that is compiled once; replaced by the value on every run. */
class Param<P extends string> {
  constructor(readonly name: P) {}
}

/**
 * A query kysely builds and compiles once, then runs with new values: building kysely's query
 * tree for the few queries of every message was about a tenth of the server's CPU under load
 * (docs/performance.md). `build` marks each value with `param(name)`; the SQL text stays the same
 * (so the statement cache keeps it prepared) and only the parameter list changes. A marker that
 * does not end up as a parameter (inlined by `sql.lit`, say) fails at the first run.
 *
 * Compiled once per dialect (the SQL text of SQLite and PostgreSQL differs), so one process may
 * use both, as `direturn copy-to-postgres` and the tests do.
 */
export function compiledOnce<P extends string, R>(build: (db: Db, param: (name: P) => never) => Compilable<R>) {
  const byDialect = new Map<DialectName, CompiledQuery<R>>();
  return async (db: Db, values: Record<P, unknown>): Promise<QueryResult<R>> => {
    const dialect = dialectOf(db);
    let compiled = byDialect.get(dialect);
    if (!compiled) {
      const marked = new Set<P>();
      const query = build(db, (name) => (marked.add(name), new Param(name) as never)).compile();
      const asParameters = new Set(query.parameters.flatMap((p) => (p instanceof Param ? [p.name as P] : [])));
      const lost = [...marked].filter((name) => !asParameters.has(name));
      if (lost.length) throw new Error(`compiledOnce: ${lost.join(', ')} did not become parameters of: ${query.sql}`);
      compiled = query;
      byDialect.set(dialect, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p instanceof Param ? values[p.name as P] : p));
    return db.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>); // a fresh query id each run
  };
}
