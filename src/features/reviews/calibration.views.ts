import { limitHint } from '../../chat/input';
import { type Block, type Form, type Message, personRef } from '../../chat/ui';
import { BAND_LABEL, type CalibrationRow, distribution, distributionsByManager, nineBox, ratingOf, total } from './calibration.rules';

export const CALIBRATE_FORM = 'review.calibrate';
export const MOVE_FORM = 'review.calibrate.move';
/** "Move someone" on the calibration view; its value is the cycle's id. */
export const MOVE = 'review.calibrate.move';

/** The longest reason for a move. */
export const MAX_REASON = 500;
/**
 * People named in one box of the grid, and managers whose distribution is listed, before "and N
 * more": each name is a mention, and a Teams card holds about 45 of long names within its budget.
 */
export const NAMES_PER_BOX = 4;
export const MANAGERS_SHOWN = 8;

export const POTENTIALS = [
  { value: '1', label: 'Low' },
  { value: '2', label: 'Medium' },
  { value: '3', label: 'High' },
] as const;

export const RATING_OPTIONS = ['1', '2', '3', '4', '5'].map((value) => ({ value, label: value }));

/** A group to calibrate: a department, or a manager's whole organisation below them. */
export type Group = { kind: 'department'; name: string } | { kind: 'manager'; personId: string; name: string; own?: boolean };

/** How a group travels as a choice's value (checked against the groups the actor may see when it comes back). */
export const groupValue = (g: Group) => (g.kind === 'department' ? `department:${g.name}` : `manager:${g.personId}`);

/** How a group is named: "Engineering (department)", "Maya Manager's organisation", "Your organisation". */
export const groupName = (g: Group) => {
  if (g.kind === 'department') return `${g.name} (department)`;
  return g.own ? 'Your organisation' : `${g.name}'s organisation`;
};

export function calibrateForm(cycles: Array<{ id: string; name: string }>, groups: Group[]): Form {
  return {
    formId: CALIBRATE_FORM,
    title: 'Calibrate ratings',
    submitLabel: 'Show',
    intro: 'Choose the cycle and the group. You will see how each manager rated and the 9-box grid of performance and potential.',
    fields: [
      { id: 'cycle', kind: 'choice', label: 'Cycle', required: true, options: cycles.map((c) => ({ value: c.id, label: c.name.slice(0, 75) })) },
      { id: 'group', kind: 'choice', label: 'Group', required: true, options: groups.map((g) => ({ value: groupValue(g), label: groupName(g).slice(0, 75) })) },
    ],
  };
}

/** A row of counts, 1s to 5s: "1: 0 · 2: 1 · 3: 4 · 4: 2 · 5: 0 (7)". */
const countsLine = (counts: number[]) => `${counts.map((n, i) => `${i + 1}: ${n}`).join(' · ')} (${total(counts)})`;

/**
 * The calibration view of a group: the rating distribution (the group's, and each manager's as they
 * gave it) and the 9-box grid. With `names` off (executives: aggregates only) it shows the group's
 * counts and each box's count, naming nobody, and offers no move.
 */
export function calibrationMessage(o: { cycleId: string; cycleName: string; groupName: string; rows: CalibrationRow[]; names: boolean }): Message {
  const heading = `⚖️ Calibration: ${o.cycleName}, ${o.groupName}`;
  if (o.rows.length === 0) return { summary: heading, blocks: [{ type: 'section', text: `${heading}\nNo submitted reviews in this group yet.` }] };
  const title = `**${o.cycleName}**, ${o.groupName}`;
  const given = distribution(o.rows.map((r) => r.overall));
  const now = distribution(o.rows.map(ratingOf));
  const calibratedAny = o.rows.some((r) => r.calibrated !== null);
  const groupLines = [`**The group**, as managers rated: ${countsLine(given)}`, ...(calibratedAny ? [`After calibration: ${countsLine(now)}`] : [])];
  const managers = distributionsByManager(o.rows);
  const managerLines = managers.slice(0, MANAGERS_SHOWN).map((m) => `• ${m.reviewerId ? personRef(m.reviewerId) : 'No reviewer'}: ${countsLine(m.given)}`);
  const moreManagers = managers.length - MANAGERS_SHOWN;
  const { boxes, unplaced } = nineBox(o.rows);
  const boxText = (personIds: string[]) => {
    if (!o.names || personIds.length === 0) return '';
    const more = personIds.length - NAMES_PER_BOX;
    return `\n${personIds.slice(0, NAMES_PER_BOX).map(personRef).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  };
  const blocks: Block[] = [
    { type: 'header', text: '⚖️ Calibration' },
    { type: 'section', text: `${title}\n**Ratings, 1 to 5**\n${groupLines.join('\n')}` },
    ...(o.names
      ? [
          {
            type: 'section' as const,
            text: `**Per manager**, as they rated\n${managerLines.join('\n')}${moreManagers > 0 ? `\nand ${moreManagers} more managers` : ''}`,
          },
        ]
      : []),
    { type: 'section', text: '**9-box: potential (rows) × performance (columns)**' },
    ...boxes.map(
      (b): Block => ({
        type: 'section',
        text: `**${BAND_LABEL[b.potential]} potential · ${BAND_LABEL[b.performance]} performance**: ${b.personIds.length}${boxText(b.personIds)}`,
      }),
    ),
    ...(unplaced.length > 0 ? [{ type: 'context' as const, text: `Not on the grid yet (no potential set): ${unplaced.length}` }] : []),
    ...(o.names ? [{ type: 'actions' as const, buttons: [{ actionId: MOVE, label: 'Move someone', value: o.cycleId, opensForm: true }] }] : []),
  ];
  return { summary: heading, blocks };
}

export function moveForm(cycleId: string, cycleName: string): Form {
  return {
    formId: MOVE_FORM,
    title: 'Move someone',
    submitLabel: 'Move',
    intro: `In ${cycleName}. Set a new rating, a new potential, or both. Every move is recorded with your reason.`,
    fields: [
      { id: 'person', kind: 'users', label: 'Person', required: true, multiple: false },
      { id: 'rating', kind: 'choice', label: 'New rating', options: RATING_OPTIONS, hint: 'Leave empty to keep it.' },
      { id: 'potential', kind: 'choice', label: 'New potential', options: POTENTIALS.map((p) => ({ ...p })), hint: 'Leave empty to keep it.' },
      { id: 'reason', kind: 'multiline', label: 'Reason', required: true, maxLength: MAX_REASON, hint: limitHint(MAX_REASON) },
    ],
    state: { cycleId },
  };
}

const potentialName = (p: number | null) => (p === null ? 'not set' : (POTENTIALS[p - 1]?.label.toLowerCase() ?? String(p)));

export function movedMessage(personId: string, from: { rating: number | null; potential: number | null }, to: typeof from): string {
  return `⚖️ Moved ${personRef(personId)}: rating ${from.rating ?? '–'} → ${to.rating ?? '–'}, potential ${potentialName(from.potential)} → ${potentialName(to.potential)}. Recorded with your reason.`;
}
