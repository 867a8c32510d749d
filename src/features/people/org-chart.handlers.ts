import type { Effect } from '../../chat/effects';
import { Invalid } from '../../chat/errors';
import { withinLimit } from '../../chat/input';
import { type Interaction, withoutMentions } from '../../chat/interaction';
import type { HandlerContext } from '../../chat/feature';
import { type Message, textMessage } from '../../chat/ui';
import type { Person } from '../../db/database';
import { authorizeOn } from './authorization';
import { MAX_LABEL, ORG_CHART_FIELDS, type OrgChartField, ROLE_CHOICES, parseRole, roleLabel } from './org-chart.rules';
import type { OrgChartChange, PeopleQueries } from './people.queries';

type Command = Extract<Interaction, { kind: 'command' }>;

const USAGE =
  'Try {typed:hepo org @name} to see someone in the org chart, or change one thing: {typed:hepo org @name manager @other} (or `manager none`), `department Design`, `title Staff Engineer`, `role HR admin`.';

function personCard(person: Person, manager: Person | undefined, reports: Person[]): Message {
  return {
    summary: `${person.display_name} in the org chart`,
    blocks: [
      { type: 'header', text: person.display_name },
      {
        type: 'fields',
        fields: [
          { label: 'Manager', value: manager?.display_name ?? 'nobody' },
          { label: 'Department', value: person.department ?? '—' },
          { label: 'Title', value: person.title ?? '—' },
          { label: 'Role', value: roleLabel(person.role) },
          { label: 'Direct reports', value: reports.length === 0 ? 'none' : reports.map((r) => r.display_name).join(', ') },
        ],
      },
    ],
  };
}

/** `/hepo org @ana [manager @ben | department … | title … | role …]`: the org chart, one person at a time. */
export function orgChartCommand(queries: PeopleQueries) {
  async function cardOf(ctx: HandlerContext, person: Person): Promise<Message> {
    const [manager, reports] = await Promise.all([
      person.manager_id ? queries.person(ctx.org.id, person.manager_id) : undefined,
      queries.directReports(ctx.org.id, person.id),
    ]);
    return personCard(person, manager, reports);
  }

  /** The change an HR admin asked for, checked before anything is written. */
  async function changeFor(ctx: HandlerContext, person: Person, field: OrgChartField, value: string, newManager: Person | undefined): Promise<OrgChartChange> {
    switch (field) {
      case 'manager':
        if (/^none$/i.test(value)) return { manager_id: null };
        if (!newManager) throw new Invalid(`Mention the new manager, like {typed:hepo org @${person.display_name} manager @other}, or say \`manager none\`.`);
        if (newManager.is_bot) throw new Invalid(`${newManager.display_name} is a bot.`);
        return { manager_id: newManager.id };
      case 'department':
      case 'title':
        return { [field]: /^none$/i.test(value) || value === '' ? null : value };
      case 'role': {
        const role = parseRole(value);
        if (!role) throw new Invalid(`I know these roles: ${ROLE_CHOICES}.`);
        if (person.role === 'hr_admin' && role !== 'hr_admin') {
          const admins = await queries.hrAdmins(ctx.org.id);
          if (admins.every((a) => a.id === person.id)) {
            throw new Invalid(
              `${person.id === ctx.actor.id ? 'You are' : `${person.display_name} is`} the only HR admin. Hand it on first: {typed:hepo org @someone role HR admin}.`,
            );
          }
        }
        return { role };
      }
    }
  }

  return async function org(interaction: Command, ctx: HandlerContext): Promise<Effect[]> {
    const refs = interaction.mentions;
    if (refs.length === 0) throw new Invalid(USAGE);
    const [, fieldWord = '', ...rest] = withoutMentions(interaction.text).split(/\s+/);
    const field = ORG_CHART_FIELDS.find((f) => f === fieldWord.toLowerCase());
    if (fieldWord && !field) throw new Invalid(USAGE);
    const value = withinLimit(rest.join(' ').trim(), MAX_LABEL, { what: `the ${field}` });
    const [person, newManager] = await ctx.resolvePeople(refs.slice(0, 2));
    if (!field) return [{ type: 'reply', message: await cardOf(ctx, person!) }];
    await authorizeOn(ctx, 'org_chart.edit', person!);
    const change = await changeFor(ctx, person!, field, value, newManager);
    const updated = await queries.updateOrgChart(ctx.org.id, person!.id, change);
    if (updated === 'loop') {
      throw new Invalid(`${newManager!.display_name} reports to ${person!.display_name} already (directly or further up), so that would make a loop.`);
    }
    const card = await cardOf(ctx, updated);
    const note = `✅ Updated ${updated.display_name}.`;
    return [{ type: 'reply', message: { summary: note, blocks: [{ type: 'section', text: note }, ...card.blocks] } }];
  };
}
