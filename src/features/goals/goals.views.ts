import { limitHint } from '../../chat/input';
import type { GoalLevel } from '../../db/database';
import { type Block, type Button, type Form, type Message, personRef, typed } from '../../chat/ui';
import type { GoalRow } from './goals.queries';
import { type GoalStatus, LEVEL_LABEL, STATUS_LABEL, progressBar, progressInWords, shownNumber } from './goals.rules';

export const NEW_FORM = 'goals.new';
export const UPDATE_FORM = 'goals.update';
export const OPEN_NEW = 'goals.open_new';
export const OPEN_UPDATE = 'goals.open_update';

/** Bounds of what people type, stated at each field. */
export const LIMITS = { title: 150, why: 500, unit: 30, note: 300, keyResults: 1000, keyResult: 100 } as const;
/** Key results one goal may list. */
export const MAX_KEY_RESULTS = 10;
/** Goals one list shows an Update button for (Teams allows six buttons on a card; one more is "New goal"). */
export const UPDATE_BUTTONS = 5;
/** Goals one list shows; more are counted, not listed. */
export const LISTED = 10;
/** Key results a list shows under a goal; the rest are counted. */
const KEY_RESULTS_LISTED = 5;
/** Goals the alignment search offers for what is typed. */
export const ALIGNABLE = 20;
/** The most one goal may count in its parent's roll-up, against 1 for the least. */
export const MAX_WEIGHT = 10;

/** A goal as a list shows it: its progress (rolled up where it rolls up) and status today. */
export interface ShownGoal {
  goal: GoalRow;
  progress: number;
  status: GoalStatus;
  parentTitle?: string;
  keyResults?: KeyResult[];
}

export const newGoalButton: Button = { actionId: OPEN_NEW, label: '🎯 New goal', opensForm: true };

const updateButton = (goal: GoalRow): Button => ({ actionId: OPEN_UPDATE, label: `Update: ${shortTitle(goal.title)}`, value: goal.id, opensForm: true });

/** A title short enough for a button or a menu: its first words, and "..." where it goes on. */
const shortTitle = (title: string) => (title.length > 24 ? `${title.slice(0, 21).trimEnd()}...` : title);

export const goalLabel = (g: GoalRow) => `${LEVEL_LABEL[g.level]} · ${shortTitle(g.title)} (${g.owner_name})`;

export function goalForm(o: { levels: GoalLevel[]; owner: string; parent?: GoalRow }): Form {
  return {
    formId: NEW_FORM,
    title: 'New goal',
    submitLabel: 'Set goal',
    intro: 'A goal people can measure: where it starts, the target, and by when. Align it to a team or company goal so it ladders up.',
    fields: [
      {
        id: 'title',
        kind: 'text',
        label: 'Goal',
        required: true,
        maxLength: LIMITS.title,
        placeholder: 'Win 30 new customers in the Nordics',
        hint: limitHint(LIMITS.title),
      },
      { id: 'why', kind: 'multiline', label: 'Why it matters', maxLength: LIMITS.why, hint: limitHint(LIMITS.why, 'Optional.') },
      {
        id: 'level',
        kind: 'choice',
        label: 'Level',
        required: true,
        initial: 'individual',
        options: o.levels.map((level) => ({ value: level, label: LEVEL_LABEL[level] })),
      },
      { id: 'owner', kind: 'users', multiple: false, label: 'Owner', required: true, initial: [o.owner] },
      { id: 'start', kind: 'number', label: 'Start value', initial: 0, decimal: true },
      { id: 'target', kind: 'number', label: 'Target value', decimal: true, hint: 'Leave it empty when key results measure the goal.' },
      { id: 'unit', kind: 'text', label: 'Unit', maxLength: LIMITS.unit, placeholder: 'customers, %, k€', hint: limitHint(LIMITS.unit, 'Optional.') },
      {
        id: 'key_results',
        kind: 'multiline',
        label: 'Or key results, one per line with its target',
        maxLength: LIMITS.keyResults,
        placeholder: 'Sign new customers: 10\nLaunch in new cities: 3',
        hint: limitHint(LIMITS.keyResults, `Optional: up to ${MAX_KEY_RESULTS}, each "what: target". The goal's progress is theirs, on average.`),
      },
      { id: 'due', kind: 'date', label: 'Due date', required: true },
      {
        id: 'visibility',
        kind: 'choice',
        label: 'Who sees it',
        required: true,
        initial: 'public',
        options: [
          { value: 'public', label: 'Everyone in the organization' },
          { value: 'private', label: 'Only the owner and their managers' },
        ],
      },
      {
        id: 'parent',
        kind: 'search',
        label: 'Aligned to',
        hint: 'Type to find a team or company goal by its title; leave it empty for a goal that stands alone.',
        ...(o.parent ? { initial: { value: o.parent.id, label: goalLabel(o.parent) } } : {}),
      },
      {
        id: 'weight',
        kind: 'number',
        label: 'Weight in the goal it aligns to',
        required: true,
        initial: 1,
        min: 1,
        max: MAX_WEIGHT,
        hint: `1 to ${MAX_WEIGHT}: how much it counts when that goal rolls up from the goals aligned to it.`,
      },
      {
        id: 'progress_from',
        kind: 'choice',
        label: 'Progress',
        required: true,
        initial: 'own',
        options: [
          { value: 'own', label: 'Updated by hand' },
          { value: 'children', label: 'Rolls up from the goals aligned to it' },
        ],
      },
    ],
  };
}

/** A key result as the update form and the lists show it. */
export interface KeyResult {
  id: string;
  goal_id: string;
  title: string;
  target_value: number;
  current_value: number;
}

/** The update form's choice for one key result of a goal: both ids. */
export const keyResultChoice = (goalId: string, keyResultId: string) => `${goalId}:${keyResultId}`;

export function updateForm(o: { goals: GoalRow[]; keyResults: KeyResult[]; selected?: string }): Form {
  const options = o.goals.flatMap((g) => {
    const own = o.keyResults.filter((k) => k.goal_id === g.id);
    return own.length === 0
      ? [{ value: g.id, label: `${shortTitle(g.title)}: now ${progressInWords(g)}` }]
      : own.map((k) => ({
          value: keyResultChoice(g.id, k.id),
          label: `${shortTitle(g.title)} › ${shortTitle(k.title)}: now ${shownNumber(k.current_value)} of ${shownNumber(k.target_value)}`,
        }));
  });
  const selected = o.selected ? options.find((op) => op.value === o.selected || op.value.startsWith(`${o.selected}:`))?.value : undefined;
  return {
    formId: UPDATE_FORM,
    title: 'Update progress',
    submitLabel: 'Save',
    fields: [
      {
        id: 'goal',
        kind: 'choice',
        label: 'Goal',
        required: true,
        initial: selected ?? options[0]?.value,
        options,
      },
      { id: 'value', kind: 'number', label: 'Current value', required: true, decimal: true },
      { id: 'note', kind: 'multiline', label: 'What changed', maxLength: LIMITS.note, hint: limitHint(LIMITS.note, 'Optional.') },
    ],
  };
}

const keyResultLines = (keyResults: KeyResult[]) =>
  keyResults
    .slice(0, KEY_RESULTS_LISTED)
    .map((k) => `\n◦ ${k.title}: ${shownNumber(k.current_value)} of ${shownNumber(k.target_value)}`)
    .join('') + (keyResults.length > KEY_RESULTS_LISTED ? `\n◦ and ${keyResults.length - KEY_RESULTS_LISTED} more key results` : '');

const goalLine = ({ goal, progress, status, parentTitle, keyResults = [] }: ShownGoal) =>
  `**${goal.title}**${goal.visibility === 'private' ? ' 🔒' : ''}\n${progressBar(progress)} · ${keyResults.length > 0 ? `${keyResults.length} key results` : progressInWords(goal)} · ${STATUS_LABEL[status]} · due ${goal.due_on}${keyResultLines(keyResults)}${parentTitle ? `\n↳ aligned to ${parentTitle}` : ''}`;

/** Someone's goals, with progress and status; Update buttons where the reader may update them. */
export function goalsMessage(o: { ownerId: string; own: boolean; goals: ShownGoal[]; updatable: boolean }): Message {
  const whose = o.own ? 'Your goals' : `Goals of ${personRef(o.ownerId)}`;
  if (o.goals.length === 0) {
    return {
      summary: `${whose}: none yet`,
      blocks: [
        { type: 'section', text: o.own ? `You have no goals yet. Set one with ${typed('goals new')}.` : `${personRef(o.ownerId)} has no goals you can see.` },
        ...(o.own ? [{ type: 'actions' as const, buttons: [newGoalButton] }] : []),
      ],
    };
  }
  const listed = o.goals.slice(0, LISTED);
  const buttons = o.updatable ? listed.slice(0, UPDATE_BUTTONS).map((g) => updateButton(g.goal)) : [];
  return {
    summary: `${whose}: ${o.goals.length}`,
    blocks: [
      { type: 'header', text: `🎯 ${whose}` },
      ...listed.map((g): Block => ({ type: 'section', text: goalLine(g) })),
      ...(o.goals.length > LISTED ? [{ type: 'context' as const, text: `And ${o.goals.length - LISTED} more, due later.` }] : []),
      ...(buttons.length > 0 || o.own ? [{ type: 'actions' as const, buttons: [...buttons, ...(o.own ? [newGoalButton] : [])] }] : []),
    ],
  };
}

/** A goal in the tree: its line, and the goals aligned to it that belong in the picture. */
export interface TreeNode {
  shown: ShownGoal | undefined;
  /** A goal above one of the reader's that they may not see. */
  hidden?: boolean;
  children: TreeNode[];
}

/** How the reader's goals ladder up to the company's, each level with its progress. */
export function treeMessage(roots: TreeNode[]): Message {
  const lines: string[] = [];
  const walk = (node: TreeNode, depth: number) => {
    const indent = depth === 0 ? '' : `${'\u2003'.repeat(depth - 1)}↳ `;
    lines.push(
      node.shown && !node.hidden
        ? `${indent}${LEVEL_LABEL[node.shown.goal.level].split(' ')[0]} **${node.shown.goal.title}** ${progressBar(node.shown.progress)} ${STATUS_LABEL[node.shown.status]}`
        : `${indent}🔒 a private goal`,
    );
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  if (lines.length === 0) return { summary: 'No goals yet', blocks: [{ type: 'section', text: `You have no goals yet. Set one with ${typed('goals new')}.` }] };
  return {
    summary: 'How your goals ladder up',
    blocks: [
      { type: 'header', text: '🎯 How your goals ladder up' },
      // A few lines a section: a section holds 3,000 characters in Slack.
      ...Array.from({ length: Math.ceil(lines.length / 5) }, (_, i): Block => ({ type: 'section', text: lines.slice(i * 5, i * 5 + 5).join('\n') })),
    ],
  };
}

/** Goals in the person's home: each with its progress, and the buttons to update or set one. */
export function homeSection(goals: ShownGoal[]): Block[] {
  return [
    { type: 'header', text: '🎯 Goals' },
    goals.length === 0
      ? { type: 'context', text: `No goals yet. Set one people can measure, and align it to your team's: ${typed('goals new')}.` }
      : { type: 'section', text: goals.map((g) => `• ${g.goal.title}: ${progressBar(g.progress)} ${STATUS_LABEL[g.status]}`).join('\n') },
    {
      type: 'actions',
      buttons: [newGoalButton, ...(goals.length > 0 ? [{ actionId: OPEN_UPDATE, label: 'Update progress', opensForm: true }] : [])],
    },
  ];
}

/** The owner's weekly nudge: their goals with progress, and a button to update each. */
export function nudgeMessage(goals: ShownGoal[]): Message {
  return {
    summary: 'Time to update your goals',
    blocks: [
      { type: 'header', text: '🎯 Time to update your goals' },
      { type: 'section', text: 'A minute now keeps your manager and your team in the picture.' },
      ...goals.slice(0, LISTED).map((g): Block => ({ type: 'section', text: goalLine(g) })),
      { type: 'actions', buttons: goals.slice(0, UPDATE_BUTTONS).map((g) => updateButton(g.goal)) },
    ],
  };
}

/** A manager's weekly summary of the goals of their team that are at risk or behind. */
export function atRiskMessage(goals: ShownGoal[]): Message {
  const lines = goals
    .slice(0, LISTED)
    .map((g) => `• ${personRef(g.goal.owner_id)}: **${g.goal.title}** ${progressBar(g.progress)} ${STATUS_LABEL[g.status]} · due ${g.goal.due_on}`);
  return {
    summary: `${goals.length} goal${goals.length === 1 ? '' : 's'} in your team need attention`,
    blocks: [
      { type: 'header', text: '🟠 Goals in your team that need attention' },
      // A few lines a section: a section holds 3,000 characters in Slack.
      ...Array.from({ length: Math.ceil(lines.length / 5) }, (_, i): Block => ({ type: 'section', text: lines.slice(i * 5, i * 5 + 5).join('\n') })),
      ...(goals.length > LISTED ? [{ type: 'context' as const, text: `And ${goals.length - LISTED} more.` }] : []),
      {
        type: 'context',
        text: `Progress is compared with the time gone since each goal was set. A word in your next 1:1 helps: ${typed('checkin agenda @name add how their goal is going')}`,
      },
    ],
  };
}
