import { sql } from 'kysely';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Db } from '../../src/db/connect';
import { freshPostgres } from '../support/databases';

describe('statements on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let db: Db;
  const alter = async (statement: string) => {
    const admin = new Pool({ connectionString: database.url, max: 1 });
    await admin.query(statement);
    await admin.end();
  };

  beforeAll(async () => {
    database = await freshPostgres();
    db = connectDatabase({ kind: 'postgres', url: database.url }, () => {});
    await db.insertInto('orgs').values({ name: 'Acme' }).execute();
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('are prepared once per connection and reused', async () => {
    await db.connection().execute(async (conn) => {
      for (let i = 0; i < 3; i++) await conn.selectFrom('orgs').select('name').where('name', '=', 'Acme').execute();
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'hepo_%'`.execute(conn);
      const selects = rows.filter((r) => r.statement.includes('from "orgs"'));
      expect(selects).toHaveLength(1);
    });
  });

  it('keep working when a migration changes a table under them, retried outside a transaction', async () => {
    await db.connection().execute(async (conn) => {
      expect(await conn.selectFrom('orgs').selectAll().execute()).toHaveLength(1);
      await alter('alter table orgs add column motto text');
      const [org] = await conn.selectFrom('orgs').selectAll().execute();
      expect(org).toHaveProperty('motto', null);
    });
  });

  it('fail the transaction that meets a changed table once, and work again after it', async () => {
    await db.connection().execute(async (conn) => {
      await conn.selectFrom('orgs').selectAll().execute();
      await alter('alter table orgs add column slogan text');
      await expect(conn.transaction().execute((trx) => trx.selectFrom('orgs').selectAll().execute())).rejects.toThrow(/cached plan/);
      const rows = await conn.transaction().execute((trx) => trx.selectFrom('orgs').selectAll().execute());
      expect(rows[0]).toHaveProperty('slogan', null);
    });
  });
});
