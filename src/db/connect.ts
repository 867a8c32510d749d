import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { Pool } from 'pg';
import { migrations } from '../../migrations';
import type { Config } from '../config';
import type { Database } from './database';

export type Db = Kysely<Database>;

export function connectDatabase(database: Config['database'], onIdleError: (error: Error) => void): Db {
  if (database.kind === 'postgres') {
    const pool = new Pool({ connectionString: database.url, max: 10 });
    // An idle connection dropped by the server must not take the process down; the pool reconnects.
    pool.on('error', onIdleError);
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  mkdirSync(database.dataDir, { recursive: true });
  return new Kysely<Database>({ dialect: new PGliteDialect(new PGlite(database.dataDir)) });
}

/** Brings the schema up to date; on Postgres, Kysely serialises concurrent migrators with an advisory lock. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
