import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The product reasons about time through the injected Clock only, so tests with a fake clock mean
 * what they say on any date. Postgres' now() and the machine's clock are allowed only where nothing
 * compares them with the app's time; each such place is listed here with why.
 */
const ALLOWED: Record<string, string> = {
  'src/chat/ports.ts': 'the system clock itself',
  'src/notify/notify.queries.ts': 'claims and leases: compared only with other now() values in Postgres',
  'src/adapters/slack/transport.ts': "a 429's Retry-After hold: a wall-clock duration, not a product time",
  'src/adapters/slack/installations.queries.ts':
    "bookkeeping of a token row, read by nobody; and Bolt's expiry of a rotating token, stamped by the machine's clock, turned into the app clock's",
  'src/adapters/teams/conversations.queries.ts': 'orders conversation references, newest first; never compared',
};

const READS_ANOTHER_CLOCK = [
  { name: 'Postgres now()', pattern: /(?<![.\w])now\(\)|current_(date|timestamp)|localtimestamp/i },
  { name: 'new Date()', pattern: /new Date\(\)/ },
  { name: 'Date.now()', pattern: /Date\.now\(\)/ },
  { name: 'dayjs()', pattern: /\bdayjs\(\)/ },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('one clock', () => {
  it('finds no read of Postgres or machine time outside the places that never meet the app clock', () => {
    const root = join(__dirname, '../..');
    const offenders = sourceFiles(join(root, 'src')).flatMap((file) => {
      const path = relative(root, file);
      if (ALLOWED[path]) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => READS_ANOTHER_CLOCK.filter((c) => c.pattern.test(line)).map((c) => `${path}:${i + 1} reads ${c.name}`));
    });
    expect(offenders).toEqual([]);
  });

  it('catches a query that stamps a row with Postgres time', () => {
    const line = ".set({ status: 'answered', answered_at: sql<Date>`now()` })";
    expect(READS_ANOTHER_CLOCK.some((c) => c.pattern.test(line))).toBe(true);
  });
});
