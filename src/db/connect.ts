import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { Client, Pool } from 'pg';
import { migrations } from '../../migrations';
import type { Config, DatabaseTimeouts } from '../config';
import type { Database } from './database';

export type Db = Kysely<Database>;

/** Distinct statements a connection keeps prepared; beyond this, statements are planned each time. */
const PREPARED_PER_CONNECTION = 200;

/**
 * How much longer than Postgres' own statement timeout the client waits for an answer: a slow statement
 * is cancelled by the server (nothing written), and only a server that doesn't answer at all is given up on here.
 */
const UNANSWERED_AFTER_STATEMENT_TIMEOUT_MS = 500;

const isUnanswered = (error: unknown) => (error as { message?: string }).message === 'Query read timeout';

/** Postgres refuses a prepared statement whose result columns changed (a migration added one). */
const isStalePlan = (error: unknown) => {
  const { code, message } = error as { code?: string; message?: string };
  return code === '0A000' && /cached plan must not change result type/.test(message ?? '');
};

/**
 * Sends each distinct SQL text as a named statement, so Postgres parses and plans it once per
 * connection instead of on every call (planning costs these short queries more than running them).
 * When a migration from a newer release changes a table under a running one, its statements are
 * prepared again under new names; outside a transaction the failed call is retried at once.
 */
class PreparingClient extends Client {
  private names = new Map<string, string>();
  private generation = 0;
  private inTransaction = false;

  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    // A connection lost while in use fails its query, which is how the app hears of it; pg emits 'error'
    // as well, and pg-pool listens only while a client is idle: unheard, it would end the process.
    this.on('error', () => {});
  }

  private nameFor(text: string): string | undefined {
    let name = this.names.get(text);
    if (!name && this.names.size < PREPARED_PER_CONNECTION) {
      name = `hepo_${this.generation}_${this.names.size}`;
      this.names.set(text, name);
    }
    return name;
  }

  private async prepared(text: string, values: unknown[], retried = false): Promise<unknown> {
    const name = this.nameFor(text);
    try {
      return await (name ? super.query({ name, text, values }) : super.query(text, values));
    } catch (error) {
      if (isUnanswered(error)) this.abandon();
      if (!isStalePlan(error)) throw error;
      this.names = new Map();
      this.generation++;
      if (this.inTransaction || retried) throw error;
      return this.prepared(text, values, true);
    }
  }

  /**
   * A statement the server never answered still holds the connection; dropped, it goes back to no
   * pool, and Postgres rolls back whatever transaction it was in once it hears the connection close.
   */
  private abandon(): void {
    (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  // pg's overloads can't be restated in a subclass; Kysely always calls query(text, values).
  override query(...args: any[]): any {
    const [text, values] = args;
    if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values)) return (super.query as (...a: unknown[]) => unknown)(...args);
    const command = text.length < 64 ? text.trim().toLowerCase() : ''; // transaction control is short
    if (command === 'begin' || command.startsWith('start transaction')) this.inTransaction = true;
    if (command === 'commit' || command === 'rollback') this.inTransaction = false;
    return this.prepared(text, values);
  }
}

/** pg's pool settings for these timeouts (the wait for a free connection is bounded by the connect timeout too). */
const poolTimeouts = (timeouts: DatabaseTimeouts | undefined) =>
  timeouts && {
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.statementTimeoutMs + UNANSWERED_AFTER_STATEMENT_TIMEOUT_MS,
  };

/**
 * PGlite's own start settings, with a smaller buffer cache: Postgres' default 128 MB took 0.4–0.5 s of every
 * start to set up in WebAssembly (bench/README.md, Startup). The app's database, catalogs included, starts at
 * ~8 MB; pages beyond the cache are read through the operating system's file cache.
 */
const PGLITE_START = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * On Postgres every connection and statement is bounded (see DatabaseTimeouts), so an interaction waiting
 * on a slow or missing database gets its apology in time.
 */
export function connectDatabase(database: Config['database'], onIdleError: (error: Error) => void): Db {
  if (database.kind === 'postgres') {
    // JIT off: the bot's statements are short, and Postgres compiles any whose cost it overestimates
    // (a recursive goal roll-up: 0.4 s of compiling for a query of a few ms).
    const pool = new Pool({ connectionString: database.url, max: 10, options: '-c jit=off', Client: PreparingClient, ...poolTimeouts(database.timeouts) });
    // An idle connection dropped by the server must not take the process down; the pool reconnects.
    pool.on('error', onIdleError);
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  mkdirSync(database.dataDir, { recursive: true });
  return new Kysely<Database>({ dialect: new PGliteDialect(new PGlite(database.dataDir, { startParams: PGLITE_START })) });
}

/**
 * True when the database has run exactly the migrations this release has. Kysely's Migrator finds
 * that out too, but only after reading the whole catalog twice to see whether its tables exist:
 * 0.3–1 s of every start on PGlite, against ~20 ms for this one read.
 */
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  let done: Set<string>;
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    done = new Set(rows.map((r) => r.name));
  } catch {
    return false; // a new database: no migration table yet
  }
  const known = Object.keys(migrations);
  return done.size === known.length && known.every((name) => done.has(name));
}

/**
 * Brings the schema up to date; on Postgres, Kysely serialises concurrent migrators with an advisory
 * lock. Anything but an exact match of the migrations run (a new one, or one this release doesn't
 * know) goes through the Migrator, which runs them all in one transaction, or refuses. Given the
 * database, the Migrator runs on a connection of its own with no statement timeout: a migration of a
 * big table, or the wait for another process's lock, may rightly take longer than an interaction may.
 */
export async function migrateToLatest(db: Kysely<any>, database?: Config['database']): Promise<void> {
  if (await isUpToDate(db)) return;
  const untimed =
    database?.kind === 'postgres'
      ? new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url, max: 1 }) }) })
      : undefined;
  try {
    await migrate(untimed ?? db);
  } finally {
    await untimed?.destroy();
  }
}

async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (failed) throw new Error(`migration ${failed.migrationName} failed: ${String(error)}`, { cause: error });
  // Nothing ran: the Migrator refused (a migration this release doesn't know) or could not read the database.
  if (error) throw new Error(`could not migrate the database: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
