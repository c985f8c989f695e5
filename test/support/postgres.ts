// PostgreSQL for tests: each test file creates its own database and drops it afterwards.
// SMARTQUEUE_TEST_PG_URL points at a server and a database to connect to for CREATE DATABASE
// (default postgres://postgres@127.0.0.1:5432/test). Locally a missing server skips the PostgreSQL runs with a
// visible message; in CI (CI set) it fails them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.SMARTQUEUE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Dialect = 'sqlite' | 'postgres';

let reachable: Promise<string | null> | null = null;

/** null when PostgreSQL answers, else why not. */
export function postgresProblem(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** The dialects a central suite runs against here. */
export async function centralDialects(): Promise<Dialect[]> {
  const problem = await postgresProblem();
  if (!problem) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI but ${PG_ADMIN_URL} is unreachable: ${problem}`);
  console.warn(`\n*** PostgreSQL unreachable at ${PG_ADMIN_URL} (${problem}): central tests run on SQLite only. Set SMARTQUEUE_TEST_PG_URL. ***\n`);
  return ['sqlite'];
}

export interface TestPgDatabase { url: string; name: string; drop(): Promise<void> }

export async function createPgDatabase(): Promise<TestPgDatabase> {
  const name = `sq_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        // A pool just destroyed may still be closing its sessions: a forced drop would kill them and the FATAL
        // reaches a client no longer listening (an uncaught error in whatever test runs then). Give them a moment;
        // force only a session that truly stayed.
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name}${attempt < 40 ? '' : ' WITH (FORCE)'}`);
            break;
          } catch (err) {
            if (attempt >= 40 || (err as { code?: string }).code !== '55006') throw err; // 55006: still in use
            await new Promise((r) => setTimeout(r, 25));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
