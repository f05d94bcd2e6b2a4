import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './database.js';

/** Stands for a value in a query that is compiled once; replaced by the value on every run. */
class Param<P extends string> {
  constructor(readonly name: P) {}
}

/**
 * A query kysely builds and compiles once, then runs with new values: for the few queries of
 * every message, building kysely's query tree cost more CPU than SQLite took to run them
 * (docs/performance.md). `build` marks each value with `param(name)`; the SQL text stays the same
 * (so the statement cache keeps it prepared) and only the parameter list changes.
 *
 * Compiled for the dialect of the first database it runs on: DiReturn uses one per process.
 */
export function compiledOnce<P extends string, R>(build: (db: Db, param: (name: P) => never) => Compilable<R>) {
  let compiled: CompiledQuery<R> | undefined;
  return (db: Db, values: Record<P, unknown>): Promise<QueryResult<R>> => {
    compiled ??= build(db, (name) => new Param(name) as never).compile();
    const parameters = compiled.parameters.map((p) => (p instanceof Param ? values[p.name as P] : p));
    return db.executeQuery<R>({ ...compiled, parameters });
  };
}
