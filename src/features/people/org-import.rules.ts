import type { Platform } from '../../chat/interaction';
import type { Role } from '../../db/database';
import { MAX_LABEL, ROLE_CHOICES, parseRole } from './org-chart.rules';

/**
 * An org chart import, pure: the CSV read into rows, and the rows planned against the chart. A file
 * either plans whole (every row placeable, no loop, an HR admin left) or not at all.
 */

export const IMPORT_COLUMNS = ['email', 'manager_email', 'department', 'title', 'role'] as const;
export const MAX_IMPORT_ROWS = 5_000;

/** A problem with the file, at a line of it (the header is line 1), or with the file as a whole (`line: null`). */
export interface LineError {
  line: number | null;
  message: string;
  /** Nobody the bot can find has this email (Teams can find fewer people than Slack: the views say so). */
  unknownPerson?: true;
}

/** One row, checked on its own. Empty manager_email, department or title mean none; an empty role keeps the person's role. */
export interface ImportRow {
  line: number;
  email: string;
  managerEmail: string | null;
  department: string | null;
  title: string | null;
  role: Role | null;
}

interface CsvRecord {
  /** The line the record starts on. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180: comma-separated, `"` quotes a field (`""` inside is a quote), so a record may span lines;
 * a quote inside an unquoted field is kept as typed; blank lines are skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n' || (c === '\r' && src[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
    }
  }
  endRecord();
  return records;
}

const EMAIL = /^[^\s@",]+@[^\s@",]+\.[^\s@",]+$/;
const orNull = (value: string) => (value === '' ? null : value);

/** The CSV as rows, each checked on its own, and what is wrong with the others. */
export function readImportCsv(text: string): { rows: ImportRow[]; errors: LineError[] } {
  const [header, ...records] = parseCsv(text);
  if (!header) return { rows: [], errors: [{ line: null, message: `The file is empty. Its first line names the columns: ${IMPORT_COLUMNS.join(', ')}.` }] };
  const names = header.fields.map((f) => f.trim().toLowerCase().replace(/\s+/g, '_'));
  const missing = IMPORT_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(IMPORT_COLUMNS as readonly string[]).includes(n));
  if (missing.length > 0 || unknown.length > 0 || names.length !== IMPORT_COLUMNS.length) {
    const why = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown ${unknown.map((u) => `"${u}"`).join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    return {
      rows: [],
      errors: [{ line: header.line, message: `The first line must name the columns ${IMPORT_COLUMNS.join(', ')}${why ? ` (${why})` : ' once each'}.` }],
    };
  }
  if (records.length === 0) return { rows: [], errors: [{ line: null, message: 'The file has no rows under its header.' }] };
  if (records.length > MAX_IMPORT_ROWS) {
    return {
      rows: [],
      errors: [
        {
          line: null,
          message: `The file has ${records.length.toLocaleString('en-US')} rows; I take up to ${MAX_IMPORT_ROWS.toLocaleString('en-US')} at a time. Split it and import each part.`,
        },
      ],
    };
  }

  const rows: ImportRow[] = [];
  const errors: LineError[] = [];
  for (const { line, fields } of records) {
    if (fields.length !== IMPORT_COLUMNS.length) {
      errors.push({ line, message: `expected ${IMPORT_COLUMNS.length} values, found ${fields.length}.` });
      continue;
    }
    const value = (column: (typeof IMPORT_COLUMNS)[number]) => fields[names.indexOf(column)]!.trim();
    const problems: string[] = [];
    const email = value('email').toLowerCase();
    if (email === '') problems.push('the email is missing.');
    else if (!EMAIL.test(email)) problems.push(`"${email}" is not an email address.`);
    const managerEmail = value('manager_email').toLowerCase();
    if (managerEmail !== '' && !EMAIL.test(managerEmail)) problems.push(`manager_email "${managerEmail}" is not an email address.`);
    for (const column of ['department', 'title'] as const) {
      if (value(column).length > MAX_LABEL) problems.push(`the ${column} is longer than ${MAX_LABEL} characters.`);
    }
    const roleText = value('role');
    const role = roleText === '' ? null : parseRole(roleText);
    if (role === undefined) problems.push(`I don't know the role "${roleText}"; the roles are ${ROLE_CHOICES}.`);
    if (problems.length > 0) {
      errors.push(...problems.map((message) => ({ line, message })));
      continue;
    }
    rows.push({ line, email, managerEmail: orNull(managerEmail), department: orNull(value('department')), title: orNull(value('title')), role: role ?? null });
  }
  return { rows, errors };
}

/** Someone in the org chart as the plan needs them. */
export interface ChartPerson {
  id: string;
  email: string | null;
  name: string;
  managerId: string | null;
  department: string | null;
  title: string | null;
  role: Role;
  roleSetByHr: boolean;
  active: boolean;
}

/** Someone the platform knows by email whom the bot has never met: created when the import is applied. */
export interface Newcomer {
  email: string;
  name: string;
  platformUserId: string;
  timezone: string;
  /** What the platform says their role is until HR says otherwise (workspace admins, HR_ADMIN_EMAILS). */
  hrByPlatform: boolean;
}

/** A person the plan is about: an id in the org, or `new:<email>` for a newcomer. */
export type PersonKey = string;
export const newcomerKey = (email: string): PersonKey => `new:${email}`;

/** Where someone sits in the chart. */
export interface Placement {
  managerId: PersonKey | null;
  department: string | null;
  title: string | null;
  role: Role;
  /** The role is HR's word (an import or an edit), which the platform's admin flag no longer changes. */
  roleSetByHr: boolean;
}

export interface PlannedRow {
  line: number;
  key: PersonKey;
  email: string;
  name: string;
  /** Where they sit now (null: a newcomer), as the dry run saw it; applying checks it still is. */
  before: Placement | null;
  after: Placement;
}

export interface ImportPlan {
  /** Where newcomers' identities are (the platform the file came through). */
  platform: Platform;
  newcomers: Newcomer[];
  /** Every row of the file, changed or not. */
  rows: PlannedRow[];
}

export const placementOf = (p: ChartPerson): Placement => ({
  managerId: p.managerId,
  department: p.department,
  title: p.title,
  role: p.role,
  roleSetByHr: p.roleSetByHr,
});

export const samePlacement = (a: Placement, b: Placement) =>
  a.managerId === b.managerId && a.department === b.department && a.title === b.title && a.role === b.role && a.roleSetByHr === b.roleSetByHr;

export const isChange = (row: PlannedRow) => row.before === null || !samePlacement(row.before, row.after);

/** The chart once the plan is applied; newcomers carry their keys as ids. */
export function applyPlan(chart: ChartPerson[], plan: ImportPlan): ChartPerson[] {
  const after = new Map(plan.rows.map((r) => [r.key, r.after]));
  return [
    ...chart.map((p) => ({ ...p, ...after.get(p.id) })),
    ...plan.newcomers.map((n) => {
      const key = newcomerKey(n.email);
      return { id: key, email: n.email, name: n.name, active: true, ...after.get(key)! };
    }),
  ];
}

/** Every loop in the chart (each person has at most one manager, so each loop is found by walking up). */
export function loopsIn(chart: ChartPerson[]): PersonKey[][] {
  const managerOf = new Map(chart.map((p) => [p.id, p.managerId]));
  const done = new Set<PersonKey>();
  const loops: PersonKey[][] = [];
  for (const { id } of chart) {
    const path: PersonKey[] = [];
    const onPath = new Map<PersonKey, number>();
    let at: PersonKey | null | undefined = id;
    while (at && !done.has(at)) {
      if (onPath.has(at)) {
        loops.push(path.slice(onPath.get(at)));
        break;
      }
      onPath.set(at, path.length);
      path.push(at);
      at = managerOf.get(at);
    }
    for (const key of path) done.add(key);
  }
  return loops;
}

const hasHrAdmin = (chart: ChartPerson[]) => chart.some((p) => p.active && p.role === 'hr_admin');

/**
 * The rows planned against the chart, or every reason they can't be: the row's own problems, a person
 * on two rows, an email nobody has, a manager who is neither in the file nor in the org, a loop in
 * the chart the whole file would make, nobody left as HR admin.
 */
export function planImport(
  read: { rows: ImportRow[]; errors: LineError[] },
  chart: ChartPerson[],
  newcomers: Map<string, Newcomer>,
  platform: Platform,
): { plan: ImportPlan } | { errors: LineError[] } {
  const errors = [...read.errors];
  const byEmail = new Map(chart.flatMap((p) => (p.email ? [[p.email.toLowerCase(), p] as const] : [])));
  const firstLine = new Map<string, number>();
  const keyOf = new Map<string, PersonKey>();
  const placeable: ImportRow[] = [];
  for (const row of read.rows) {
    const seen = firstLine.get(row.email);
    if (seen !== undefined) {
      errors.push({ line: row.line, message: `${row.email} is on line ${seen} already.` });
      continue;
    }
    firstLine.set(row.email, row.line);
    const person = byEmail.get(row.email);
    if (!person && !newcomers.has(row.email)) {
      errors.push({ line: row.line, message: `I can't find anyone with the email ${row.email}.`, unknownPerson: true });
      continue;
    }
    keyOf.set(row.email, person ? person.id : newcomerKey(row.email));
    placeable.push(row);
  }

  const rows: PlannedRow[] = [];
  for (const row of placeable) {
    let managerId: PersonKey | null = null;
    if (row.managerEmail) {
      const manager = keyOf.get(row.managerEmail) ?? byEmail.get(row.managerEmail)?.id;
      // A manager whose own row names nobody is reported there.
      if (!manager && !firstLine.has(row.managerEmail)) {
        errors.push({
          line: row.line,
          message: `I can't place the manager ${row.managerEmail}: they are neither in the org chart nor on a valid row of the file.`,
        });
      }
      if (!manager) continue;
      managerId = manager;
    }
    const person = byEmail.get(row.email);
    const newcomer = newcomers.get(row.email);
    const before = person ? placementOf(person) : null;
    const role = row.role ?? before?.role ?? (newcomer!.hrByPlatform ? 'hr_admin' : 'employee');
    rows.push({
      line: row.line,
      key: keyOf.get(row.email)!,
      email: row.email,
      name: person?.name ?? newcomer!.name,
      before,
      after: { managerId, department: row.department, title: row.title, role, roleSetByHr: row.role !== null || (before?.roleSetByHr ?? false) },
    });
  }

  const plan: ImportPlan = { platform, newcomers: rows.flatMap((r) => (r.before === null ? [newcomers.get(r.email)!] : [])), rows };
  const after = applyPlan(chart, plan);
  const lineOf = new Map(rows.map((r) => [r.key, r.line]));
  const nameOf = new Map(after.map((p) => [p.id, p.email ?? p.name]));
  for (const found of loopsIn(after)) {
    const lines = found.flatMap((key) => (lineOf.has(key) ? [lineOf.get(key)!] : [])).sort((a, b) => a - b);
    // Told from the person on the first of its lines.
    const from = Math.max(
      0,
      found.findIndex((key) => lineOf.get(key) === lines[0]),
    );
    const loop = [...found.slice(from), ...found.slice(0, from)];
    const circle = [...loop, loop[0]!].map((key) => nameOf.get(key)).join(' → ');
    errors.push({
      line: lines[0] ?? null,
      message: `${lines.length > 1 ? `with lines ${lines.slice(1).join(', ')}, ` : ''}this makes a loop: ${circle} (each would report to the next).`,
    });
  }
  if (!hasHrAdmin(after)) errors.push({ line: null, message: 'After this import nobody would be an HR admin. Give someone the role "HR admin" in the file.' });

  if (errors.length > 0) return { errors: errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  return { plan };
}

/**
 * Why the plan no longer applies to the chart as it is now (someone moved, someone joined, a loop, no
 * HR admin left), or undefined when it applies exactly as the dry run showed it.
 */
export function whyNotApplicable(plan: ImportPlan, chart: ChartPerson[]): string | undefined {
  const byId = new Map(chart.map((p) => [p.id, p]));
  const emails = new Set(chart.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])));
  for (const row of plan.rows) {
    if (row.before === null) {
      if (emails.has(row.email)) return `${row.name} joined the org chart meanwhile`;
      continue;
    }
    const now = byId.get(row.key);
    if (!now || !samePlacement(placementOf(now), row.before)) return `${row.name}'s place in it changed`;
  }
  const after = applyPlan(chart, plan);
  if (loopsIn(after).length > 0) return 'other changes would now make a loop with it';
  if (!hasHrAdmin(after)) return 'it would now leave nobody as HR admin';
  return undefined;
}
