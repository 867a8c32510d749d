import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../src/db/connect';
import { databaseUrl, POSTGRES_URL } from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

const admin = async (sql: string, params: unknown[] = []) => {
  const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
  const { rows } = await pool.query(sql, params);
  await pool.end();
  return rows;
};

/** pg's pool.end() resolves before its sockets close; a template can't be copied while one is open. */
async function untilNobodyConnectedTo(database: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [row] = await admin('select count(*)::int as n from pg_stat_activity where datname = $1', [database]);
    if (row.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`connections to ${database} did not close`);
}

/**
 * Builds a migrated template database once per run (named after this process, so two runs on one
 * server don't collide); each test file copies it with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = `hepo_template_${process.pid}`;
  await admin(`drop database if exists ${template} with (force)`);
  await admin(`create database ${template}`);
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new Pool({ connectionString: databaseUrl(template), max: 1 }) }),
  });
  await migrateToLatest(db);
  await db.destroy();
  await untilNobodyConnectedTo(template);
  project.provide('templateDatabase', template);
  return async () => void (await admin(`drop database if exists ${template} with (force)`));
}
