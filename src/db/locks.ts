import { type Kysely, sql } from 'kysely';

/** Takes turns with other transactions on `key` until this one ends (a Postgres advisory lock). */
export const advisoryLock = (trx: Kysely<any>, key: string) => sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
