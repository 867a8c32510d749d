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

const admin = async (sql: string) => {
  const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
  await pool.query(sql);
  await pool.end();
};

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
  project.provide('templateDatabase', template);
  return () => admin(`drop database if exists ${template} with (force)`);
}
