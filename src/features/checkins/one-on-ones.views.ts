import type { Block, Form, Message } from '../../chat/ui';

export const AGENDA_ADD = 'agenda.add';
export const AGENDA_ADD_FORM = 'agenda.add';
export const AGENDA_DONE = 'agenda.done';

export interface AgendaItemView {
  id: string;
  text: string;
  author: string;
}

/** How many 1:1s, and open points of each, the home shows. */
export const HOME_MEETINGS = 5;
const HOME_POINTS = 3;

const pointLine = (item: AgendaItemView) => `• ${item.text} _(${item.author})_`;

export function agendaMessage(o: { oneOnOneId: string; withName: string; when: string; items: AgendaItemView[]; reminder: boolean }): Message {
  const heading = o.reminder ? `📅 Your 1:1 with ${o.withName} is ${o.when}.` : `📝 Your running agenda with ${o.withName} (next 1:1 ${o.when}).`;
  return {
    summary: o.reminder ? `1:1 with ${o.withName} ${o.when}` : `Agenda with ${o.withName}`,
    blocks: [
      { type: 'section', text: heading },
      ...(o.items.length === 0
        ? [{ type: 'context' as const, text: 'No talking points yet. Either of you can add one.' }]
        : o.items.flatMap((item) => [
            { type: 'section' as const, text: pointLine(item) },
            { type: 'actions' as const, buttons: [{ actionId: AGENDA_DONE, label: 'Done', value: item.id }] },
          ])),
      { type: 'actions', buttons: [{ actionId: AGENDA_ADD, label: 'Add a talking point', value: o.oneOnOneId, opensForm: true }] },
    ],
  };
}

export function addPointForm(oneOnOneId: string, withName: string): Form {
  return {
    formId: AGENDA_ADD_FORM,
    title: 'Add a talking point',
    submitLabel: 'Add',
    intro: `For your next 1:1 with ${withName}. Only the two of you see the agenda.`,
    fields: [{ id: 'text', kind: 'multiline', label: 'Talking point', required: true, maxLength: 500 }],
    state: { oneOnOneId },
  };
}

/** The person's 1:1s in their home: who with, when next, and the open talking points. */
export function oneOnOnesHome(meetings: Array<{ oneOnOneId: string; withName: string; when: string; items: AgendaItemView[] }>): Block[] {
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
        { type: 'section', text: `**${m.withName}**, next ${m.when}\n${points}` },
        { type: 'actions', buttons: [{ actionId: AGENDA_ADD, label: 'Add a talking point', value: m.oneOnOneId, opensForm: true }] },
      ];
    }),
  ];
}
