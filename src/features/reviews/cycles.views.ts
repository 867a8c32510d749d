import { limitHint } from '../../chat/input';
import type { Block, Button, Form, FormField, Message } from '../../chat/ui';
import { personRef, typed } from '../../chat/ui';
import type { ParticipantState, ReviewPhaseKind } from '../../db/database';
import { STATE_LABEL } from './cycle.rules';
import {
  MAX_NAME,
  MAX_REPEAT_MONTHS,
  PHASES,
  PHASE_LABEL,
  type PhaseDates,
  REPEATS,
  TEMPLATES,
  type Tally,
  dueField,
  opensField,
  percent,
} from './cycle-plan.rules';
import type { NudgeKind } from './nudges.rules';
import { WRITE } from './manager-review.views';
import { openSelfAssessmentButton } from './self-assessment.views';

export const CYCLE_FORM = 'review.cycle.new';
export const EXTEND_FORM = 'review.cycle.extend';
export const TEMPLATE_QUARTERLY = 'review.cycle.template.quarterly';
export const TEMPLATE_ANNUAL = 'review.cycle.template.annual';
export const TEMPLATE_REPEAT = 'review.cycle.template.repeat';
export const SHOW_CYCLE = 'review.cycle.show';
export const REMIND_BEHIND = 'review.cycle.remind';
export const OPEN_EXTEND = 'review.cycle.extend.open';
export const ASK_360 = 'review.cycle.ask_360';

/** The audience choice; departments and people are named in their own fields. */
const AUDIENCES = [
  { value: 'everyone', label: 'Everyone' },
  { value: 'departments', label: 'The departments named below' },
  { value: 'people', label: 'The people picked below' },
] as const;
export const MAX_DEPARTMENTS_TEXT = 500;
/** Lists that grow with the org (cycles, departments, managers) show this many, then say how many more. */
const LIST_SHOWN = 10;

const andMore = (left: number) => (left > 0 ? [`and ${left} more`] : []);
const line = (t: Tally) => `• ${t.label}: ${t.done} of ${t.total} (${percent(t.done, t.total)} %)`;

/** `/review cycle new`: the templates to start from. */
export function templatesMessage(previous: Array<{ id: string; name: string }>): Message {
  const repeat = previous
    .slice(0, 3)
    .map((c): Button => ({ actionId: TEMPLATE_REPEAT, label: `Repeat “${c.name}”`.slice(0, 75), value: c.id, opensForm: true }));
  return {
    summary: 'Start a review cycle',
    blocks: [
      { type: 'header', text: 'Start a review cycle' },
      {
        type: 'section',
        text: `Start from a template and change anything in the form. • ${TEMPLATES.quarterly.label}: self-assessment, manager review and sign-off over five weeks. • ${TEMPLATES.annual.label}: adds 360° feedback and calibration, over eight weeks.`.replaceAll(
          ' • ',
          '\n• ',
        ),
      },
      {
        type: 'actions',
        buttons: [
          { actionId: TEMPLATE_QUARTERLY, label: TEMPLATES.quarterly.label, opensForm: true, style: 'primary' },
          { actionId: TEMPLATE_ANNUAL, label: TEMPLATES.annual.label, opensForm: true },
          ...repeat,
        ],
      },
    ],
  };
}

export interface CycleDraft {
  name: string;
  phases: PhaseDates[];
  repeat: string;
  departments: string[];
}

/** The cycle's form, filled in from a template or a previous cycle. */
export function cycleForm(d: CycleDraft): Form {
  const dateOf = (kind: ReviewPhaseKind, which: 'opensOn' | 'dueOn') => d.phases.find((p) => p.kind === kind)?.[which];
  const phaseFields = PHASES.flatMap(({ kind, label, optional }): FormField[] => {
    const opens = dateOf(kind, 'opensOn');
    const due = dateOf(kind, 'dueOn');
    return [
      {
        id: opensField(kind),
        kind: 'date',
        label: `${label}: opens`,
        required: !optional,
        ...(optional ? { hint: 'Optional: leave both dates empty to skip it.' } : {}),
        ...(opens ? { initial: opens } : {}),
      },
      { id: dueField(kind), kind: 'date', label: `${label}: due`, required: !optional, ...(due ? { initial: due } : {}) },
    ];
  });
  const named = [...d.departments.slice(0, LIST_SHOWN), ...andMore(d.departments.length - LIST_SHOWN)].join(', ');
  const known = d.departments.length > 0 ? `The org's departments: ${named}.` : 'Nobody has a department yet.';
  return {
    formId: CYCLE_FORM,
    title: 'New review cycle',
    submitLabel: 'Start the cycle',
    intro:
      'Who is in it is fixed when the cycle starts (active people; each one’s manager then writes their review). Each phase opens on its day with a message to everyone who has a task in it.',
    fields: [
      { id: 'name', kind: 'text', label: 'Name', required: true, maxLength: MAX_NAME, hint: limitHint(MAX_NAME), initial: d.name },
      { id: 'audience', kind: 'choice', label: 'Who is in it', required: true, initial: 'everyone', options: AUDIENCES.map((a) => ({ ...a })) },
      {
        id: 'departments',
        kind: 'text',
        label: 'Departments',
        maxLength: MAX_DEPARTMENTS_TEXT,
        hint: limitHint(MAX_DEPARTMENTS_TEXT, `Separated by commas. ${known}`),
        placeholder: d.departments.slice(0, 2).join(', ') || 'Engineering, Sales',
      },
      { id: 'people', kind: 'users', multiple: true, label: 'People' },
      ...phaseFields,
      { id: 'repeat', kind: 'choice', label: 'Repeats', required: true, initial: d.repeat, options: REPEATS.map((r) => ({ value: r.value, label: r.label })) },
      { id: 'repeat_months', kind: 'number', label: 'Every N months', min: 1, max: MAX_REPEAT_MONTHS },
    ],
  };
}

/** `/review cycle`: the org's cycles, each with a button to its progress. */
export function cyclesMessage(cycles: Array<{ id: string; name: string; closed: boolean; participants: number; signed: number }>, canCreate: boolean): Message {
  const shown = cycles.slice(0, 5);
  return {
    summary: 'Review cycles',
    blocks: [
      { type: 'header', text: 'Review cycles' },
      {
        type: 'section',
        text:
          cycles.length === 0
            ? `No review cycles yet.${canCreate ? ` Start one with ${typed('review cycle new')}.` : ''}`
            : shown.map((c) => `• **${c.name}**${c.closed ? ' (closed)' : ''}: ${c.signed} of ${c.participants} signed off`).join('\n'),
      },
      ...(shown.length > 0
        ? [{ type: 'actions' as const, buttons: shown.map((c): Button => ({ actionId: SHOW_CYCLE, label: `${c.name}`.slice(0, 75), value: c.id })) }]
        : []),
      ...(canCreate && cycles.length > 0
        ? [{ type: 'context' as const, text: `New cycle: ${typed('review cycle new')} · a later deadline: ${typed('review cycle extend')}` }]
        : []),
    ],
  };
}

/** A cycle's progress, in numbers only. */
export function progressMessage(o: {
  cycleId: string;
  name: string;
  closed: boolean;
  phases: Array<Tally & { kind: ReviewPhaseKind; opensOn: string; dueOn: string }>;
  current?: ReviewPhaseKind;
  departments: Tally[];
  managers: Array<Tally & { managerId: string | null }>;
  canManage: boolean;
}): Message {
  const phases = o.phases.map((p) => `${line(p)} · ${p.opensOn} → ${p.dueOn}`);
  const by = (title: string, rows: string[]) => (rows.length === 0 ? [] : [{ type: 'section' as const, text: [`**${title}**`, ...rows].join('\n') }]);
  const managers = o.managers.slice(0, LIST_SHOWN).map((m) => line({ ...m, label: m.managerId ? personRef(m.managerId) : 'No manager' }));
  const current = o.current ? PHASE_LABEL[o.current].toLowerCase() : undefined;
  return {
    summary: `Progress of ${o.name}`,
    blocks: [
      { type: 'header', text: `📊 ${o.name}${o.closed ? ' (closed)' : ''}`.slice(0, 150) },
      { type: 'section', text: ['**Through each phase**', ...phases].join('\n') },
      ...by(`By department${current ? `, ${current}` : ''}`, [...o.departments.slice(0, LIST_SHOWN).map(line), ...andMore(o.departments.length - LIST_SHOWN)]),
      ...by(`By manager${current ? `, ${current}` : ''}`, [...managers, ...andMore(o.managers.length - LIST_SHOWN)]),
      ...(o.canManage && !o.closed
        ? [
            {
              type: 'actions' as const,
              buttons: [
                { actionId: REMIND_BEHIND, label: 'Remind everyone behind', value: o.cycleId, style: 'primary' as const },
                { actionId: OPEN_EXTEND, label: 'Extend a deadline', value: o.cycleId, opensForm: true },
              ],
            },
          ]
        : []),
    ],
  };
}

/** HR's form for a later deadline: the whole phase, or one person. */
export function extendForm(o: { cycleId: string; name: string; phases: Array<{ kind: ReviewPhaseKind; due_on: string }> }): Form {
  return {
    formId: EXTEND_FORM,
    title: 'Extend a deadline',
    submitLabel: 'Extend',
    intro: `${o.name}: a new deadline for everyone in a phase, or for one person. Reminders follow the new date.`.slice(0, 300),
    fields: [
      {
        id: 'phase',
        kind: 'choice',
        label: 'Phase',
        required: true,
        options: o.phases.map((p) => ({ value: p.kind, label: `${PHASE_LABEL[p.kind]} (due ${p.due_on})` })),
      },
      { id: 'due', kind: 'date', label: 'New deadline', required: true },
      { id: 'person', kind: 'users', multiple: false, label: 'Only for', hint: 'Leave empty to move the deadline for everyone.' },
    ],
    state: { cycleId: o.cycleId },
  };
}

const WHEN: Record<NudgeKind, (due: string) => string> = {
  opened: (due) => `due ${due}`,
  three_days: (due) => `due in 3 days (${due})`,
  one_day: (due) => `due tomorrow (${due})`,
  due_today: () => 'due today',
  overdue: (due) => `was due ${due}`,
};

const TITLE: Record<NudgeKind, string> = {
  opened: ' has opened',
  three_days: ': a reminder',
  one_day: ': a reminder',
  due_today: ': due today',
  overdue: ': overdue',
};

/** What the person does in each of their phases, and the button that starts it. */
const TASK: Record<'self_assessment' | 'feedback_360' | 'sign_off', { text: string; button?: (participantId: string) => Button }> = {
  self_assessment: { text: 'Write your self-assessment: how your goals went, your strengths, where you want to grow.', button: () => openSelfAssessmentButton },
  feedback_360: {
    text: 'Ask colleagues for 360° feedback about you: pick 3 to 12 people who know your work.',
    button: (participantId) => ({ actionId: ASK_360, label: '🔄 Ask for feedback', value: participantId, opensForm: true }),
  },
  sign_off: { text: 'Your manager shares your review with you when it is ready; you read it and sign it off then. Nothing to do until it comes.' },
};

export type ParticipantPhase = keyof typeof TASK;

/** To a participant: their phase opened, or a reminder of its deadline. */
export function phaseNudge(o: { cycleName: string; kind: ParticipantPhase; nudge: NudgeKind; dueOn: string; participantId: string }): Message {
  const head = `📋 ${o.cycleName} · ${PHASE_LABEL[o.kind]}${TITLE[o.nudge]}`;
  const task = TASK[o.kind];
  const button = task.button?.(o.participantId);
  return {
    summary: `${PHASE_LABEL[o.kind]}: ${WHEN[o.nudge](o.dueOn)}`,
    blocks: [
      { type: 'header', text: head.slice(0, 150) },
      { type: 'section', text: `${task.text}\n**${WHEN[o.nudge](o.dueOn)}**` },
      ...(button ? [{ type: 'actions' as const, buttons: [{ ...button, style: 'primary' as const }] }] : []),
    ],
  };
}

/** Buttons a message to a reviewer carries for their reports (Teams allows six a card). */
const REVIEW_BUTTONS = 6;

/** To a reviewer: the manager review phase, one message for all their reports still to review. */
export function reviewerNudge(o: {
  cycleName: string;
  nudge: NudgeKind;
  dueOn: string;
  reports: Array<{ personId: string; participantId: string; state: ParticipantState }>;
}): Message {
  const head = `📋 ${o.cycleName} · Manager review${TITLE[o.nudge]}`;
  return {
    summary: `Manager review: ${o.reports.length} to write, ${WHEN[o.nudge](o.dueOn)}`,
    blocks: [
      { type: 'header', text: head.slice(0, 150) },
      {
        type: 'section',
        text: [
          `Write the review of each of your ${o.reports.length} ${o.reports.length === 1 ? 'report' : 'reports'}, **${WHEN[o.nudge](o.dueOn)}**:`,
          ...o.reports.slice(0, LIST_SHOWN).map((r, i) => `• ${i + 1}. ${personRef(r.personId)} · ${STATE_LABEL[r.state]}`),
          ...andMore(o.reports.length - LIST_SHOWN),
        ].join('\n'),
      },
      {
        type: 'actions',
        buttons: o.reports.slice(0, REVIEW_BUTTONS).map((r, i) => ({ actionId: WRITE, label: `Write review ${i + 1}`, value: r.participantId })),
      },
      ...(o.reports.length > REVIEW_BUTTONS
        ? [{ type: 'context' as const, text: `Buttons for the first ${REVIEW_BUTTONS}; every report is in ${typed('review')}.` }]
        : []),
    ],
  };
}

/** To a manager, after a deadline: who of their reports is behind. */
export function behindSummary(o: { cycleName: string; kind: ReviewPhaseKind; dueOn: string; personIds: string[] }): Message {
  return {
    summary: `${o.personIds.length} of your reports are behind on ${PHASE_LABEL[o.kind].toLowerCase()}`,
    blocks: [
      { type: 'header', text: `📋 ${o.cycleName} · ${PHASE_LABEL[o.kind]}: behind`.slice(0, 150) },
      {
        type: 'section',
        text: [`Due ${o.dueOn}, not done yet by:`, ...o.personIds.slice(0, 20).map((id) => `• ${personRef(id)}`), ...andMore(o.personIds.length - 20)].join(
          '\n',
        ),
      },
      { type: 'context', text: 'A word from you may help. They have had their own reminder.' },
    ],
  };
}

/** One line of the person's tasks (`/review`, the home). */
export interface TaskLine {
  cycleName: string;
  text: string;
  button?: Button;
}

/** The tasks of a participant in their phases open now. */
export function participantTask(o: { cycleName: string; kind: ParticipantPhase; dueOn: string; state: ParticipantState; participantId: string }): TaskLine {
  return {
    cycleName: o.cycleName,
    text: `${PHASE_LABEL[o.kind]}, due ${o.dueOn} · you: ${STATE_LABEL[o.state]}`,
    ...(o.kind === 'sign_off' ? {} : { button: TASK[o.kind].button?.(o.participantId) }),
  };
}

/** A reviewer's line: each report's state; a button to write a review while the manager review is open. */
export function reviewerTask(o: {
  cycleName: string;
  personId: string;
  name: string;
  state: ParticipantState;
  participantId: string;
  writing: boolean;
}): TaskLine {
  return {
    cycleName: o.cycleName,
    text: `${personRef(o.personId)} · ${STATE_LABEL[o.state]}`,
    ...(o.writing ? { button: { actionId: WRITE, label: `Review ${o.name}`.slice(0, 75), value: o.participantId } } : {}),
  };
}

/** What a message of tasks shows: a few cycles, a few lines each (the rest are counted). */
const CYCLES_SHOWN = 3;
const TASKS_SHOWN = 6;

/** Tasks as blocks, grouped by cycle, with the first `buttons` buttons (what the message or the home has room for). */
export function taskBlocks(tasks: TaskLine[], buttons: number): Block[] {
  if (tasks.length === 0) return [];
  const cycles = [...new Set(tasks.map((t) => t.cycleName))];
  const sections = cycles.slice(0, CYCLES_SHOWN).map((name): Block => {
    const mine = tasks.filter((t) => t.cycleName === name);
    const lines = [...mine.slice(0, TASKS_SHOWN).map((t) => `• ${t.text}`), ...andMore(mine.length - TASKS_SHOWN)];
    return { type: 'section', text: `📋 **${name}**\n${lines.join('\n')}` };
  });
  const withButtons = tasks.flatMap((t) => (t.button ? [t.button] : [])).slice(0, buttons);
  return [
    ...sections,
    ...(cycles.length > CYCLES_SHOWN ? [{ type: 'context' as const, text: `And ${cycles.length - CYCLES_SHOWN} more review cycles.` }] : []),
    ...(withButtons.length > 0 ? [{ type: 'actions' as const, buttons: withButtons }] : []),
  ];
}
