import dayjs from 'dayjs';
import type { Effect } from '../../chat/effects';
import { Invalid, NotAllowed, NotFound } from '../../chat/errors';
import { boundedText, withinLimit } from '../../chat/input';
import { type Interaction, withoutMentions } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { Feature, HandlerContext } from '../../chat/feature';
import { type Message, textMessage } from '../../chat/ui';
import { WEEKDAYS, cadenceOf, localDate, localWhen, nextOccurrence } from '../../schedule/cadence.rules';
import { POLICY, authorizeOn } from '../people/authorization';
import type { OneOnOneQueries } from './one-on-ones.queries';
import type { AgendaItemView } from './one-on-ones.views';
import {
  AGENDA_ADD,
  AGENDA_ADD_FORM,
  AGENDA_DONE,
  AGENDA_MORE,
  HOME_MEETINGS,
  MAX_POINT,
  addPointForm,
  agendaMessage,
  agendaPageAt,
  oneOnOnesHome,
} from './one-on-ones.views';

export interface OneOnOneDeps {
  queries: OneOnOneQueries;
  clock: Clock;
}

type Command = Extract<Interaction, { kind: 'command' }>;
type OneOnOne = NonNullable<Awaited<ReturnType<OneOnOneQueries['byId']>>>;

/** The next meeting after `now`; its time of day is the manager's. */
const nextMeeting = (o: OneOnOne, now: Date) => nextOccurrence(cadenceOf(o), o.manager_timezone, now);

/**
 * 1:1s between a manager and a report: a schedule and a running agenda (the reminder to both is
 * `one-on-ones.jobs.ts`). Its commands are words of `/checkin`, where people look for them.
 */
export function oneOnOnesFeature({ queries, clock }: OneOnOneDeps): Feature {
  async function forPair(ctx: HandlerContext, interaction: Command) {
    const [ref] = interaction.mentions;
    if (!ref) throw new Invalid('Mention the person, like {typed:checkin agenda @name}.');
    const [other] = await ctx.resolvePeople([ref]);
    const found = await queries.between(ctx.org.id, ctx.actor.id, other!.id);
    if (!found)
      throw new NotFound(
        `You have no 1:1 set up with ${other!.display_name}. Their manager can set one: {typed:checkin 1on1 @${other!.display_name} every friday 10:00}.`,
      );
    return found;
  }

  /** The 1:1, if the actor is in it and the org chart still has its manager managing its report. */
  async function own(ctx: HandlerContext, o: OneOnOne | undefined): Promise<OneOnOne> {
    if (!o) throw new NotFound("I couldn't find that 1:1 any more.");
    if (ctx.actor.id !== o.manager_id && ctx.actor.id !== o.report_id) throw new NotAllowed(POLICY['one_on_one.agenda'].refusal);
    await authorizeOn(ctx, 'one_on_one.agenda', { id: o.report_id, org_id: o.org_id });
    return o;
  }

  /** The agenda as the actor sees it; `pageOf`: which page, given the open points (the first by default). */
  async function agendaFor(ctx: HandlerContext, o: OneOnOne, pageOf: (items: AgendaItemView[]) => number = () => 0): Promise<Message> {
    const withId = ctx.actor.id === o.manager_id ? o.report_id : o.manager_id;
    const items = await queries.openItems(ctx.org.id, o.id);
    const when = localWhen(nextMeeting(o, clock.now()), ctx.actor.timezone);
    return agendaMessage({ oneOnOneId: o.id, withId, when, items, reminder: false, from: pageOf(items) });
  }

  /** The person's 1:1s for their home: each with the other person, when it is next and its open points. */
  async function home(ctx: HandlerContext) {
    const now = clock.now();
    const theirs = await queries.ofPerson(ctx.org.id, ctx.actor.id, HOME_MEETINGS);
    const meetings = await Promise.all(
      theirs.map(async (o) => ({
        oneOnOneId: o.id,
        withId: ctx.actor.id === o.manager_id ? o.report_id : o.manager_id,
        when: localWhen(nextMeeting(o, now), ctx.actor.timezone),
        items: await queries.openItems(ctx.org.id, o.id),
      })),
    );
    return oneOnOnesHome(meetings);
  }

  /** `/checkin 1on1 @ana every friday 10:00` (or `every other friday`), by Ana's manager or an HR admin. */
  async function setUp(interaction: Command, ctx: HandlerContext): Promise<Effect[]> {
    const [ref] = interaction.mentions;
    const match = /every\s+(other\s+)?([a-z]+)\s+(\d{1,2}):(\d{2})/i.exec(withoutMentions(interaction.text));
    const weekday = match ? WEEKDAYS.findIndex((d) => d.toLowerCase().startsWith(match[2]!.toLowerCase().slice(0, 3))) : -1;
    if (!ref || !match || weekday < 0 || Number(match[3]) > 23) {
      throw new Invalid('Tell me who and when, like {typed:checkin 1on1 @name every friday 10:00} (or `every other friday`).');
    }
    const [report] = await ctx.resolvePeople([ref]);
    await authorizeOn(ctx, 'one_on_one.schedule', report!);
    const managerId = report!.manager_id ?? ctx.actor.id;
    const localTime = `${match[3]!.padStart(2, '0')}:${match[4]}`;
    let anchor = dayjs.utc(localDate(clock.now(), ctx.actor.timezone));
    while (anchor.day() !== weekday) anchor = anchor.add(1, 'day');
    await queries.save({
      orgId: ctx.org.id,
      managerId,
      reportId: report!.id,
      every: match[1] ? 'two_weeks' : 'week',
      weekday,
      localTime,
      anchorDate: anchor.format('YYYY-MM-DD'),
      platform: interaction.origin.platform,
      workspaceId: interaction.origin.workspaceId,
    });
    return [
      {
        type: 'reply',
        message: textMessage(
          `📅 1:1 with ${report!.display_name} set: every ${match[1] ? 'other ' : ''}${WEEKDAYS[weekday]} at ${localTime} (manager's time). I'll remind you both 2 hours before, with the agenda.`,
        ),
      },
    ];
  }

  /** A talking point, once however often the platform delivers the command or the form. */
  const addPoint = (ctx: HandlerContext, interaction: Interaction, oneOnOneId: string, text: string) =>
    queries.addItem({
      orgId: ctx.org.id,
      oneOnOneId,
      authorId: ctx.actor.id,
      text,
      idempotencyKey: `agenda:${interaction.origin.platform}:${interaction.idempotencyKey}`,
    });

  /** `/checkin agenda @ana` shows it; `/checkin agenda @ana add <point>` adds to it. */
  async function agenda(interaction: Command, ctx: HandlerContext): Promise<Effect[]> {
    const point = /^agenda\s+add\s+([\s\S]+)$/i.exec(withoutMentions(interaction.text))?.[1]?.trim();
    if (point) withinLimit(point, MAX_POINT, { what: 'a talking point' });
    const o = await own(ctx, await forPair(ctx, interaction));
    if (point) await addPoint(ctx, interaction, o.id, point);
    return [{ type: 'reply', message: await agendaFor(ctx, o) }];
  }

  return {
    name: 'one-on-ones',
    help: ['{typed:checkin 1on1 @name every friday 10:00} schedule a 1:1 · {typed:checkin agenda @name add <point>} its shared agenda'],
    commands: { 'checkin 1on1': setUp, 'checkin agenda': agenda },
    home,
    actions: {
      async [AGENDA_ADD](interaction, ctx) {
        const o = await own(ctx, interaction.value ? await queries.byId(ctx.org.id, interaction.value) : undefined);
        return [{ type: 'open_form', form: addPointForm(o.id, ctx.actor.id === o.manager_id ? o.report_name : o.manager_name) }];
      },
      async [AGENDA_DONE](interaction, ctx) {
        const item = interaction.value ? await queries.item(ctx.org.id, interaction.value) : undefined;
        const o = await own(ctx, item ? await queries.byId(ctx.org.id, item.one_on_one_id) : undefined);
        const at = (await queries.openItems(ctx.org.id, o.id)).findIndex((i) => i.id === item!.id);
        await queries.markDone(ctx.org.id, item!.id);
        // The same page again, without the point: the next one moves up into its place.
        const message = await agendaFor(ctx, o, (items) => agendaPageAt(items, Math.min(at, items.length - 1)));
        return [{ type: 'update_source', message }];
      },
      /** "Show more": the page that starts at the point it names (the first one, if that point is done since). */
      async [AGENDA_MORE](interaction, ctx) {
        const item = interaction.value ? await queries.item(ctx.org.id, interaction.value) : undefined;
        const o = await own(ctx, item ? await queries.byId(ctx.org.id, item.one_on_one_id) : undefined);
        return [
          {
            type: 'reply',
            message: await agendaFor(ctx, o, (items) =>
              agendaPageAt(
                items,
                items.findIndex((i) => i.id === item!.id),
              ),
            ),
          },
        ];
      },
    },
    forms: {
      async [AGENDA_ADD_FORM](interaction, ctx) {
        const point = boundedText(interaction.values.text, MAX_POINT, 'text');
        if (!point) throw new Invalid('Write the talking point first.', 'text');
        const o = await own(ctx, interaction.state.oneOnOneId ? await queries.byId(ctx.org.id, interaction.state.oneOnOneId) : undefined);
        await addPoint(ctx, interaction, o.id, point);
        return [{ type: 'done', message: textMessage('Added to your agenda.') }];
      },
    },
  };
}
