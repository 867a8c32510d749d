import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/database';
import { parseRole } from '../../src/features/people/org-chart.rules';
import {
  applyPlan,
  type ChartPerson,
  type ImportPlan,
  isChange,
  MAX_IMPORT_ROWS,
  type Newcomer,
  parseCsv,
  planImport,
  readImportCsv,
  whyNotApplicable,
} from '../../src/features/people/org-import.rules';

const HEADER = 'email,manager_email,department,title,role';

const person = (id: string, o: Partial<ChartPerson> = {}): ChartPerson => ({
  id,
  email: `${id}@acme.test`,
  name: id,
  managerId: null,
  department: null,
  title: null,
  role: 'employee',
  roleSetByHr: false,
  active: true,
  ...o,
});

// dana (HR) ← maya ← ana; ben reports to nobody.
const chart = [person('dana', { role: 'hr_admin' }), person('maya', { managerId: 'dana' }), person('ana', { managerId: 'maya' }), person('ben')];
const newcomer = (email: string, hrByPlatform = false): Newcomer => ({
  email,
  name: email.split('@')[0]!,
  platformUserId: `U-${email}`,
  timezone: 'UTC',
  hrByPlatform,
});
const newcomers = new Map([['nia@acme.test', newcomer('nia@acme.test')]]);

const plan = (csv: string, people = chart) => planImport(readImportCsv(csv), people, newcomers, 'slack');
const errorsOf = (csv: string, people = chart) => {
  const result = plan(csv, people);
  return 'errors' in result ? result.errors.map((e) => `${e.line ?? '-'}: ${e.message}`) : [];
};
const planOf = (csv: string): ImportPlan => {
  const result = plan(csv);
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return result.plan;
};

describe('reading the CSV', () => {
  it('takes quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM and blank lines', () => {
    const records = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\n,,\nlast,"q"');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['two\nlines', 'z'] },
      { line: 7, fields: ['last', 'q'] },
    ]);
  });

  it('needs the five columns, in any order, and tells what is missing or unknown', () => {
    expect(readImportCsv('role,title,department,manager_email,email\n,,,,ana@acme.test').errors).toEqual([]);
    expect(readImportCsv('Email, Manager Email, Department, Title, Role\nana@acme.test,,,,').errors).toEqual([]);
    expect(readImportCsv('email,manager,department,title,role\n').errors).toEqual([
      { line: 1, message: 'The first line must name the columns email, manager_email, department, title, role (missing manager_email; unknown "manager").' },
    ]);
    expect(readImportCsv('').errors[0]!.message).toContain('The file is empty');
    expect(readImportCsv(HEADER).errors[0]!.message).toBe('The file has no rows under its header.');
  });

  it('refuses more than 5,000 rows as a whole', () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `p${i}@acme.test,,,,`);
    expect(readImportCsv([HEADER, ...rows].join('\n')).errors).toEqual([
      { line: null, message: 'The file has 5,001 rows; I take up to 5,000 at a time. Split it and import each part.' },
    ]);
  });
});

describe('planning an import', () => {
  it('reports every problem with its line, and plans nothing', () => {
    const csv = [
      HEADER,
      'ana@acme.test,maya@acme.test,Design,Designer,employee', // 2: fine
      'not-an-email,,,,', // 3
      ',,,,', // blank: skipped
      'ben@acme.test,,,,boss', // 5
      'ana@acme.test,,,,', // 6: ana again
      'zoe@acme.test,,,,', // 7: nobody has it
      'maya@acme.test,ghost@acme.test,,,', // 8: unknown manager
      'ben@acme.test,,too,many,values,here', // 9
      `dana@acme.test,,${'x'.repeat(101)},,`, // 10
    ].join('\n');
    expect(errorsOf(csv)).toEqual([
      '3: "not-an-email" is not an email address.',
      '5: I don\'t know the role "boss"; the roles are employee, manager, HR admin, executive.',
      '6: ana@acme.test is on line 2 already.',
      "7: I can't find anyone with the email zoe@acme.test.",
      "8: I can't place the manager ghost@acme.test: they are neither in the org chart nor on a valid row of the file.",
      '9: expected 5 values, found 6.',
      '10: the department is longer than 100 characters.',
    ]);
  });

  it('finds a loop the whole file makes with the chart as it is', () => {
    // dana would report to ana, who reports to maya, who reports to dana.
    expect(errorsOf(`${HEADER}\ndana@acme.test,ana@acme.test,,,`)).toEqual([
      '2: this makes a loop: dana@acme.test → ana@acme.test → maya@acme.test → dana@acme.test (each would report to the next).',
    ]);
    expect(errorsOf(`${HEADER}\nben@acme.test,nia@acme.test,,,\nnia@acme.test,ben@acme.test,,,`)).toEqual([
      '2: with lines 3, this makes a loop: ben@acme.test → nia@acme.test → ben@acme.test (each would report to the next).',
    ]);
    expect(errorsOf(`${HEADER}\nben@acme.test,ben@acme.test,,,`)[0]).toContain('this makes a loop: ben@acme.test → ben@acme.test');
  });

  it('refuses a file that leaves nobody as HR admin', () => {
    expect(errorsOf(`${HEADER}\ndana@acme.test,,,,employee`)).toEqual([
      '-: After this import nobody would be an HR admin. Give someone the role "HR admin" in the file.',
    ]);
  });

  it('plans additions and changes with what each person has before and after; an empty role keeps theirs', () => {
    const p = planOf(`${HEADER}\nnia@acme.test,maya@acme.test,Design,,\nana@acme.test,maya@acme.test,,,\nben@acme.test,nia@acme.test,Eng,Lead,HR admin`);
    expect(p.newcomers.map((n) => n.email)).toEqual(['nia@acme.test']);
    expect(p.rows.map((r) => [r.line, r.key, isChange(r)])).toEqual([
      [2, 'new:nia@acme.test', true],
      [3, 'ana', false],
      [4, 'ben', true],
    ]);
    expect(p.rows[2]!.after).toEqual({ managerId: 'new:nia@acme.test', department: 'Eng', title: 'Lead', role: 'hr_admin', roleSetByHr: true });
    expect(p.rows[0]!.after.role).toBe('employee');
  });

  it('gives a newcomer the platform’s role when the file leaves it empty', () => {
    const admins = new Map([['nia@acme.test', newcomer('nia@acme.test', true)]]);
    const result = planImport(readImportCsv(`${HEADER}\nnia@acme.test,,,,`), chart, admins, 'teams');
    expect('plan' in result && result.plan.rows[0]!.after).toMatchObject({ role: 'hr_admin', roleSetByHr: false });
  });

  it('applies only to the chart it was planned on', () => {
    const p = planOf(`${HEADER}\nnia@acme.test,ben@acme.test,,,\nben@acme.test,,Eng,,`);
    expect(whyNotApplicable(p, chart)).toBeUndefined();
    expect(
      whyNotApplicable(
        p,
        chart.map((c) => (c.id === 'ben' ? { ...c, title: 'Boss' } : c)),
      ),
    ).toBe("ben's place in it changed");
    expect(whyNotApplicable(p, [...chart, person('nia')])).toBe('nia joined the org chart meanwhile');
    // Maya now reports to Ben, and the file puts Ben under Ana (who reports to Maya): a loop.
    const loopy = planOf(`${HEADER}\nben@acme.test,ana@acme.test,,,`);
    expect(
      whyNotApplicable(
        loopy,
        chart.map((c) => (c.id === 'maya' ? { ...c, managerId: 'ben' } : c)),
      ),
    ).toBe('other changes would now make a loop with it');
  });
});

describe('any CSV applies fully or not at all (property)', () => {
  const ROLE_WORDS = ['', '', 'employee', 'manager', 'HR admin', 'exec', 'boss'];

  /** An org chart without loops: each person's manager comes before them. */
  const world = fc.integer({ min: 1, max: 10 }).chain((n) =>
    fc.record({
      chart: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            manager: i === 0 ? fc.constant(null) : fc.option(fc.integer({ min: 0, max: i - 1 }), { nil: null }),
            role: fc.constantFrom<Role>('employee', 'manager', 'hr_admin', 'executive'),
            roleSetByHr: fc.boolean(),
          }),
        ),
      ),
      newcomers: fc.array(fc.boolean(), { maxLength: 4 }),
    }),
  );

  function peopleOf(w: { chart: Array<{ manager: number | null; role: Role; roleSetByHr: boolean }>; newcomers: boolean[] }) {
    const people = w.chart.map((p, i) => person(`p${i}`, { managerId: p.manager === null ? null : `p${p.manager}`, role: p.role, roleSetByHr: p.roleSetByHr }));
    const joiners = new Map(w.newcomers.map((hr, i) => [`n${i}@acme.test`, newcomer(`n${i}@acme.test`, hr)]));
    return { people, joiners };
  }

  const field = (value: string, quote: boolean) => (quote ? `"${value.replaceAll('"', '""')}"` : value);
  const csvOf = (rows: string[][], quotes: boolean, crlf: boolean) =>
    [HEADER, ...rows.map((r) => r.map((v) => field(v, quotes)).join(','))].join(crlf ? '\r\n' : '\n');

  /** The chart's loops, found the slow way: someone whose chain of managers doesn't end within everyone. */
  const hasLoop = (c: ChartPerson[]) => {
    const managerOf = new Map(c.map((p) => [p.id, p.managerId]));
    return c.some((p) => {
      let at: string | null | undefined = p.id;
      for (let steps = 0; steps <= c.length && at; steps++) at = managerOf.get(at);
      return Boolean(at);
    });
  };

  it('either yields a plan that, applied, gives a loop-free chart matching every row, or errors and no plan', () => {
    /** Rows mostly about people of this world (so that some files plan whole), with every kind of mistake mixed in. */
    const rowsFor = (people: number, joiners: number) => {
      const known = fc.oneof(
        fc.nat(people - 1).map((i) => `p${i}@acme.test`),
        ...(joiners > 0 ? [fc.nat(joiners - 1).map((i) => `n${i}@acme.test`)] : []),
      );
      return fc.array(
        fc.record({
          email: fc.oneof({ arbitrary: known, weight: 12 }, { arbitrary: fc.constantFrom('x@acme.test', 'oops', ''), weight: 1 }),
          manager: fc.oneof(
            { arbitrary: fc.constant(''), weight: 4 },
            { arbitrary: known.map((e) => e.toUpperCase()), weight: 4 },
            { arbitrary: fc.constantFrom('bad', 'ghost@acme.test'), weight: 1 },
          ),
          department: fc.constantFrom('', '', 'Design', 'Design', 'Eng, Platform', 'Quote "Q"'),
          title: fc.constantFrom('', 'Lead'),
          role: fc.oneof(
            { arbitrary: fc.constantFrom('', 'employee', 'manager', 'HR admin', 'exec'), weight: 12 },
            { arbitrary: fc.constant('boss'), weight: 1 },
          ),
        }),
        { minLength: 1, maxLength: 8 },
      );
    };
    fc.assert(
      fc.property(
        world.chain((w) => fc.tuple(fc.constant(w), rowsFor(w.chart.length, w.newcomers.length))),
        fc.boolean(),
        fc.boolean(),
        ([w, rows], quotes, crlf) => {
          const { people, joiners } = peopleOf(w);
          const result = planImport(
            readImportCsv(
              csvOf(
                rows.map((r) => [r.email, r.manager, r.department, r.title, r.role]),
                quotes,
                crlf,
              ),
            ),
            people,
            joiners,
            'slack',
          );
          if ('errors' in result) {
            expect(result.errors.length).toBeGreaterThan(0);
            expect('plan' in result).toBe(false);
            return;
          }
          const applied = applyPlan(people, result.plan);
          expect(hasLoop(applied)).toBe(false);
          expect(applied.some((p) => p.active && p.role === 'hr_admin')).toBe(true);
          // A row of empty fields (a spreadsheet's trailing ",,,,") is a blank line: skipped.
          const written = rows.filter((r) => [r.email, r.manager, r.department, r.title, r.role].some((v) => v !== ''));
          expect(result.plan.rows).toHaveLength(written.length);
          const byEmail = new Map(applied.map((p) => [p.email!.toLowerCase(), p]));
          for (const row of written) {
            const placed = byEmail.get(row.email.toLowerCase())!;
            const before = people.find((p) => p.email === row.email.toLowerCase());
            expect(placed.managerId).toBe(row.manager === '' ? null : byEmail.get(row.manager.toLowerCase())!.id);
            expect(placed.department).toBe(row.department || null);
            expect(placed.title).toBe(row.title || null);
            const platformRole = joiners.get(row.email)?.hrByPlatform ? 'hr_admin' : 'employee';
            expect(placed.role).toBe(row.role ? parseRole(row.role) : (before?.role ?? platformRole));
          }
          // Planned against the chart it was planned on, it still applies.
          expect(whyNotApplicable(result.plan, people)).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses a well-formed file exactly when the chart it makes has a loop or no HR admin', () => {
    fc.assert(
      fc.property(
        world,
        fc.array(fc.record({ who: fc.nat(14), manager: fc.option(fc.nat(14), { nil: null }), role: fc.constantFrom('', 'employee', 'HR admin') }), {
          minLength: 1,
          maxLength: 14,
        }),
        (w, picks) => {
          const { people, joiners } = peopleOf(w);
          const emails = [...people.map((p) => p.email!), ...joiners.keys()];
          const picked = new Map(picks.map((p) => [emails[p.who % emails.length]!, p]));
          // Managers from the org or the file: the others are refused for another reason.
          const managers = [...new Set([...people.map((p) => p.email!), ...picked.keys()])];
          const rows = [...picked].map(([email, p]) => [email, p.manager === null ? '' : managers[p.manager % managers.length]!, '', '', p.role]);
          const result = planImport(readImportCsv(csvOf(rows, false, false)), people, joiners, 'slack');
          // What the file asks for, applied by hand.
          const byEmail = new Map(emails.map((e) => [e, people.find((p) => p.email === e)?.id ?? `new:${e}`]));
          const asked = new Map(rows.map(([email, manager, , , role]) => [byEmail.get(email!)!, { manager: manager ? byEmail.get(manager)! : null, role }]));
          const chartAfter: ChartPerson[] = [
            ...people,
            ...[...joiners.keys()]
              .filter((e) => asked.has(`new:${e}`))
              .map((e) => person(`new:${e}`, { email: e, role: joiners.get(e)!.hrByPlatform ? 'hr_admin' : 'employee' })),
          ].map((p) => {
            const a = asked.get(p.id);
            return a ? { ...p, managerId: a.manager, role: a.role ? parseRole(a.role)! : p.role } : p;
          });
          const shouldRefuse = hasLoop(chartAfter) || !chartAfter.some((p) => p.role === 'hr_admin');
          expect('errors' in result).toBe(shouldRefuse);
        },
      ),
      { numRuns: 500 },
    );
  });
});
