import { limitHint } from '../../chat/input';
import { type Block, type Form, MESSAGE_LIMITS, type Message, PAGE_CHARS, type PageCost, pageOf, pageStart, personRef, showMoreButton } from '../../chat/ui';

export const AGENDA_ADD = 'agenda.add';
export const AGENDA_ADD_FORM = 'agenda.add';
export const AGENDA_DONE = 'agenda.done';
export const AGENDA_MORE = 'agenda.more';

export interface AgendaItemView {
  id: string;
  text: string;
  authorId: string;
}

/** The longest talking point. */
export const MAX_POINT = 500;

/** How many 1:1s, and open points of each, the home shows. */
export const HOME_MEETINGS = 5;
const HOME_POINTS = 3;

const pointLine = (item: AgendaItemView) => `• ${item.text} _(${personRef(item.authorId)})_`;

/** An agenda's page holds its heading and its last row ("Add a talking point", "Show more") besides the points. */
const AGENDA_PAGE: PageCost = { blocks: MESSAGE_LIMITS.blocks - 2, buttons: MESSAGE_LIMITS.buttons - 2, chars: PAGE_CHARS };

/** Each point takes its line and its "Done". */
const pointCost = (item: AgendaItemView): PageCost => ({ blocks: 2, buttons: 1, chars: pointLine(item).length });

/** Where the agenda page that shows the point at `index` starts (after a "Done", the same page again). */
export const agendaPageAt = (items: AgendaItemView[], index: number) => pageStart(items, Math.max(index, 0), AGENDA_PAGE, pointCost);

/**
 * The running agenda, a page of points from `from` on, each with its "Done", and "Show more" while
 * points are left (a Teams card holds 6 buttons). `withId`: the other person of the 1:1.
 */
export function agendaMessage(o: { oneOnOneId: string; withId: string; when: string; items: AgendaItemView[]; reminder: boolean; from?: number }): Message {
  const other = personRef(o.withId);
  const page = pageOf(o.items, o.from ?? 0, AGENDA_PAGE, pointCost);
  const paged = page.from > 0 || page.next !== undefined;
  const which = paged ? ` Points ${page.from + 1}–${page.from + page.items.length} of ${o.items.length}.` : '';
  const heading = o.reminder ? `📅 Your 1:1 with ${other} is ${o.when}.` : `📝 Your running agenda with ${other} (next 1:1 ${o.when}).`;
  return {
    summary: o.reminder ? `1:1 with ${other} ${o.when}` : `Agenda with ${other}`,
    blocks: [
      { type: 'section', text: `${heading}${which}` },
      ...(o.items.length === 0
        ? [{ type: 'context' as const, text: 'No talking points yet. Either of you can add one.' }]
        : page.items.flatMap((item) => [
            { type: 'section' as const, text: pointLine(item) },
            { type: 'actions' as const, buttons: [{ actionId: AGENDA_DONE, label: 'Done', value: item.id }] },
          ])),
      {
        type: 'actions',
        buttons: [
          { actionId: AGENDA_ADD, label: 'Add a talking point', value: o.oneOnOneId, opensForm: true },
          ...(page.next !== undefined ? [showMoreButton(AGENDA_MORE, o.items[page.next]!.id, o.items.length - page.next)] : []),
        ],
      },
    ],
  };
}

export function addPointForm(oneOnOneId: string, withName: string): Form {
  return {
    formId: AGENDA_ADD_FORM,
    title: 'Add a talking point',
    submitLabel: 'Add',
    intro: `For your next 1:1 with ${withName}. Only the two of you see the agenda.`,
    fields: [{ id: 'text', kind: 'multiline', label: 'Talking point', required: true, maxLength: MAX_POINT, hint: limitHint(MAX_POINT) }],
    state: { oneOnOneId },
  };
}

/** The person's 1:1s in their home: who with, when next, and the open talking points. */
/** `withId`: the other person of each 1:1. */
export function oneOnOnesHome(meetings: Array<{ oneOnOneId: string; withId: string; when: string; items: AgendaItemView[] }>): Block[] {
  if (meetings.length === 0) return [];
  return [
    { type: 'header', text: '📅 1:1s' },
    ...meetings.flatMap((m): Block[] => {
      const more = m.items.length - HOME_POINTS;
      const points =
        m.items.length === 0
          ? 'No talking points yet.'
          : [...m.items.slice(0, HOME_POINTS).map(pointLine), ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
      return [
        { type: 'section', text: `${personRef(m.withId)}, next ${m.when}\n${points}` },
        { type: 'actions', buttons: [{ actionId: AGENDA_ADD, label: 'Add a talking point', value: m.oneOnOneId, opensForm: true }] },
      ];
    }),
  ];
}
