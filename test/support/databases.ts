import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { inject } from 'vitest';
import { databaseUrl, POSTGRES_URL } from './services';

/** A new Postgres database, already migrated (a copy of the template), and a way to drop it. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hepo_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new Pool({ connectionString: POSTGRES_URL, max: 1 });
  await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  await admin.end();
  return {
    url: databaseUrl(name),
    async drop() {
      const pool = new Pool({ connectionString: POSTGRES_URL, max: 1 });
      await pool.query(`drop database if exists ${name} with (force)`);
      await pool.end();
    },
  };
}

/** A new, empty PGlite data directory. */
export function freshPgliteDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hepo-pglite-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
