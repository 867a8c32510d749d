import type { Platform, SentFile } from '../../chat/interaction';
import { type Block, type Form, type Message, textMessage } from '../../chat/ui';
import type { ApplyOutcome } from './org-import.queries';
import { IMPORT_COLUMNS, type ImportPlan, isChange, type LineError, MAX_IMPORT_ROWS, type Placement, type PlannedRow } from './org-import.rules';
import { ROLE_CHOICES, roleLabel } from './org-chart.rules';

export const IMPORT_FORM = 'org.import';
export const APPLY_IMPORT = 'org.import.apply';

const FORMAT = `A CSV file whose first line is \`${IMPORT_COLUMNS.join(',')}\`, then one row per person (up to ${MAX_IMPORT_ROWS.toLocaleString('en-US')}). An empty manager_email, department or title means none; an empty role keeps the person's role. Roles: ${ROLE_CHOICES}. Nothing changes until you have seen a dry run and applied it.`;

/** Slack: a modal with the file input. */
export function importForm(): Form {
  return {
    formId: IMPORT_FORM,
    title: 'Import the org chart',
    submitLabel: 'Check the file',
    intro: FORMAT,
    fields: [{ id: 'file', kind: 'file', label: 'CSV file', extensions: ['csv'], required: true, hint: 'Up to 1 MB.' }],
  };
}

/** Teams: cards take no files, and a bot gets files only in its 1:1 chat. */
export function sendFileMessage(inOurChat: boolean): Message {
  const where = inOurChat ? 'here' : 'in your 1:1 chat with me (Teams gives bots files only there)';
  return {
    summary: 'Send me the org chart as a CSV file',
    blocks: [
      { type: 'section', text: `Send me the file ${where}, in a message that says \`hepo org import\`.` },
      { type: 'context', text: FORMAT },
    ],
  };
}

export function fileProblemMessage(file: Extract<SentFile, { problem: string }>): Message {
  return textMessage(
    file.problem === 'too_large'
      ? `${file.name} is over 1 MB. Split it into smaller files and import each one.`
      : `I couldn't download ${file.name}. Please send it again.`,
  );
}

/** Lines as a bulleted list short enough for one block; the rest counted. */
function bulleted(lines: string[], budget = 2_500): string {
  const shown: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length > budget) break;
    shown.push(line);
    length += line.length + 1;
  }
  const more = lines.length - shown.length;
  return [...shown.map((l) => `• ${l}`), ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
}

export function errorsMessage(fileName: string, errors: LineError[], platform: Platform): Message {
  const heading = `${fileName}: ${errors.length} problem${errors.length === 1 ? '' : 's'}, so nothing changed.`;
  const unknownPeople = errors.some((e) => e.unknownPerson);
  const whereILooked =
    platform === 'teams'
      ? 'In Teams I can only match people I have met or who are in a team or group chat I am in: Teams gives bots no company directory. Ask them to say hello to me, or add me to a team they are in, then send the file again.'
      : 'I looked for those emails in the whole workspace.';
  return {
    summary: heading,
    blocks: [
      { type: 'section', text: `**${heading}** Fix these and send the file again:` },
      { type: 'section', text: bulleted(errors.map((e) => (e.line === null ? e.message : `line ${e.line}: ${e.message}`))) },
      ...(unknownPeople ? [{ type: 'context' as const, text: whereILooked }] : []),
    ],
  };
}

export function nothingToChangeMessage(fileName: string): Message {
  return textMessage(`${fileName}: the org chart already says what the file says. Nothing to change.`);
}

type NameOf = (key: string) => string;

function placementText(p: Placement, nameOf: NameOf): string {
  return [
    `manager ${p.managerId ? nameOf(p.managerId) : 'none'}`,
    ...(p.department ? [`department ${p.department}`] : []),
    ...(p.title ? [`title ${p.title}`] : []),
    `role ${roleLabel(p.role)}`,
  ].join(' · ');
}

function changeText(before: Placement, after: Placement, nameOf: NameOf): string {
  const manager = (id: string | null) => (id ? nameOf(id) : 'none');
  const label = (v: string | null) => v ?? '—';
  return [
    ...(before.managerId !== after.managerId ? [`manager ${manager(before.managerId)} → ${manager(after.managerId)}`] : []),
    ...(before.department !== after.department ? [`department ${label(before.department)} → ${label(after.department)}`] : []),
    ...(before.title !== after.title ? [`title ${label(before.title)} → ${label(after.title)}`] : []),
    ...(before.role !== after.role ? [`role ${roleLabel(before.role)} → ${roleLabel(after.role)}`] : []),
    ...(before.role === after.role && before.roleSetByHr !== after.roleSetByHr ? [`role ${roleLabel(after.role)}, now kept by HR`] : []),
  ].join(' · ');
}

/** What applying the plan would do, person by person, with the button that applies exactly this. */
export function dryRunMessage(importId: string, fileName: string, plan: ImportPlan, nameOf: NameOf): Message {
  const changed = plan.rows.filter(isChange);
  const added = changed.filter((r) => r.before === null);
  const moved = changed.filter((r): r is PlannedRow & { before: Placement } => r.before !== null);
  const unchanged = plan.rows.length - changed.length;
  const summary = `${fileName}: ${added.length} to add, ${moved.length} to change, ${unchanged} already as the file says.`;
  const blocks: Block[] = [
    { type: 'header', text: 'Org chart import: dry run' },
    { type: 'section', text: `${summary} Nothing changes until you apply it.` },
  ];
  if (added.length > 0) {
    blocks.push({
      type: 'section',
      text: `**To add**\n${bulleted(added.map((r) => `**${r.name}** (${r.email}, line ${r.line}): ${placementText(r.after, nameOf)}`))}`,
    });
  }
  if (moved.length > 0) {
    blocks.push({
      type: 'section',
      text: `**To change**\n${bulleted(moved.map((r) => `**${r.name}** (line ${r.line}): ${changeText(r.before, r.after, nameOf)}`))}`,
    });
  }
  blocks.push(
    { type: 'context', text: 'Applying checks the org chart first: if it changed since this dry run, nothing is applied and I ask you for the file again.' },
    {
      type: 'actions',
      buttons: [{ actionId: APPLY_IMPORT, label: `Apply ${changed.length} change${changed.length === 1 ? '' : 's'}`, value: importId, style: 'primary' }],
    },
  );
  return { summary, blocks };
}

export function appliedMessage(outcome: Extract<ApplyOutcome, { status: 'applied' }>): Message {
  return textMessage(`✅ Applied ${outcome.fileName} to the org chart: ${outcome.added} added, ${outcome.changed} changed.`);
}

export const alreadyAppliedMessage = (): Message => textMessage('This import is applied already; nothing more changed.');

export function changedMessage(why: string): Message {
  return textMessage(`The org chart changed since this dry run (${why}), so I applied nothing. Send the file again for a fresh dry run.`);
}
