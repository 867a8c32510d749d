import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrateToLatest } from '../../src/db/connect';
import { databaseUrl, POSTGRES_URL, TEMPLATE_DB } from './services';

/** Builds the template database once; each test file copies it (CREATE DATABASE … TEMPLATE). */
export default async function setup(): Promise<void> {
  const admin = new Pool({ connectionString: POSTGRES_URL, max: 1 });
  await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new Pool({ connectionString: databaseUrl(TEMPLATE_DB), max: 1 }) }),
  });
  await migrateToLatest(db);
  await sql`select 1`.execute(db);
  await db.destroy();
}
