import dayjs from 'dayjs';
import { Invalid, NotFound } from '../../chat/errors';
import type { Feature, HandlerContext } from '../../chat/feature';
import { withoutMentions } from '../../chat/interaction';
import { singleValue } from '../../chat/input';
import type { Clock, OutgoingNotification } from '../../chat/ports';
import { textMessage } from '../../chat/ui';
import type { Person } from '../../db/database';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import { localInstant } from '../../schedule/cadence.rules';
import { authorizeOn } from '../people/authorization';
import type { PeopleQueries } from '../people/people.queries';
import type { MeetingQueries } from './meeting.queries';
import { MEETING_FORM, MEETING_TIMES, type NoticeKind, meetingForm, meetingNotice, meetingTime } from './meeting.views';

export interface MeetingDeps {
  queries: MeetingQueries;
  people: Pick<PeopleQueries, 'person'>;
  clock: Clock;
  sendRecorded: SendRecorded;
}

/** How far ahead a review conversation may be set. */
const LATEST_DAYS = 180;

type Participant = NonNullable<Awaited<ReturnType<MeetingQueries['participant']>>>;

/** The notice to each of the two, the time as each reads it; keyed by what caused it, so a retry records none twice. */
function noticesToBoth(
  o: { kind: NoticeKind; startsAt: Date; manager: Person; person: Person; key: string },
  where: { platform: OutgoingNotification['platform']; workspaceId: string },
): OutgoingNotification[] {
  const pair: Array<[Person, Person]> = [
    [o.manager, o.person],
    [o.person, o.manager],
  ];
  return pair.map(([reader, other]) => ({
    dedupeKey: `${o.key}:${reader.id}`,
    platform: where.platform,
    target: { kind: 'person', workspaceId: where.workspaceId, personId: reader.id },
    message: meetingNotice(o.kind, other.id, meetingTime(o.startsAt, reader, { personId: other.id, timezone: other.timezone })),
  }));
}

/**
 * The review conversation: the manager (or an HR admin) sets its date and time, in the manager's
 * timezone; both people hear of it with the time in each one's own, and are reminded before it
 * (`meeting.jobs.ts`). Setting it again moves it; `cancel` drops it and its reminders.
 */
export function reviewMeetingsFeature({ queries, people, clock, sendRecorded }: MeetingDeps): Feature {
  /** The person, their review in an open cycle and their manager, once the actor may set it up. */
  async function conversationWith(ctx: HandlerContext, person: Person, participant: Participant | undefined) {
    await authorizeOn(ctx, 'review.schedule_meeting', person);
    if (!participant) throw new Invalid(`${person.display_name} isn't in an open review cycle, so there is no review to talk about yet.`);
    const managerId = participant.reviewer_id ?? person.manager_id ?? ctx.actor.id;
    const manager = managerId === ctx.actor.id ? ctx.actor : await people.person(ctx.org.id, managerId);
    if (!manager) throw new NotFound("I couldn't find their manager.");
    return { participant, manager };
  }

  const zoneSaid = (ctx: HandlerContext, manager: Person) =>
    manager.id === ctx.actor.id ? `in your timezone (${manager.timezone})` : `in ${manager.display_name}'s timezone (${manager.timezone})`;

  return {
    name: 'review-meetings',
    help: ['{typed:review meeting @name} schedule the review conversation ({typed:review meeting @name cancel} calls it off)'],
    commands: {
      async 'review meeting'(interaction, ctx) {
        const [ref] = interaction.mentions;
        const rest = withoutMentions(interaction.text)
          .replace(/^meeting\b/i, '')
          .trim()
          .toLowerCase();
        if (!ref || (rest !== '' && rest !== 'cancel'))
          throw new Invalid('Mention the person, like {typed:review meeting @name} (or {typed:review meeting @name cancel}).');
        const [person] = await ctx.resolvePeople([ref]);
        const { participant, manager } = await conversationWith(ctx, person!, await queries.participantOf(ctx.org.id, person!.id));
        if (rest === 'cancel') {
          const { origin } = interaction;
          const recorded = await queries.cancel(ctx.org.id, participant.id, clock.now(), (startsAt) =>
            noticesToBoth(
              {
                kind: 'cancelled',
                startsAt,
                manager,
                person: person!,
                key: `review-meeting:${participant.id}:${origin.platform}:${interaction.idempotencyKey}`,
              },
              origin,
            ),
          );
          if (!recorded) return [{ type: 'reply', message: textMessage(`No review conversation with ${person!.display_name} is scheduled.`) }];
          await sendRecorded(ctx.org.id, recorded);
          return [
            {
              type: 'reply',
              message: textMessage(`Cancelled: I've told ${person!.display_name}${manager.id === ctx.actor.id ? '' : ` and ${manager.display_name}`}.`),
            },
          ];
        }
        const existing = await queries.meeting(ctx.org.id, participant.id);
        const local = existing && dayjs(existing.starts_at).tz(manager.timezone);
        const form = meetingForm({
          participantId: participant.id,
          personName: person!.display_name,
          zoneSaid: zoneSaid(ctx, manager),
          ...(local ? { initial: { date: local.format('YYYY-MM-DD'), time: local.format('HH:mm') } } : {}),
        });
        return [{ type: 'open_form', form }];
      },
    },
    forms: {
      async [MEETING_FORM](interaction, ctx) {
        const participant = interaction.state.participantId ? await queries.participant(ctx.org.id, interaction.state.participantId) : undefined;
        const person = participant ? await people.person(ctx.org.id, participant.person_id) : undefined;
        if (!person) throw new NotFound("I couldn't find that review any more.");
        const { manager } = await conversationWith(ctx, person, participant);
        const date = singleValue(interaction.values.date) ?? '';
        const time = singleValue(interaction.values.time) ?? '';
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !dayjs(date).isValid()) throw new Invalid('Pick a date.', 'date');
        if (!MEETING_TIMES.includes(time)) throw new Invalid('Pick a time from the list.', 'time');
        const startsAt = localInstant(date, time, manager.timezone);
        const now = clock.now();
        if (startsAt <= now) throw new Invalid('Pick a time after now.', 'date');
        if (startsAt.getTime() - now.getTime() > LATEST_DAYS * 86_400_000) throw new Invalid(`Pick a date within ${LATEST_DAYS} days.`, 'date');
        const { origin } = interaction;
        const key = `review-meeting:${participant!.id}:${origin.platform}:${interaction.idempotencyKey}`;
        const recorded = await queries.schedule(
          {
            orgId: ctx.org.id,
            participantId: participant!.id,
            managerId: manager.id,
            personId: person.id,
            startsAt,
            scheduledBy: ctx.actor.id,
            at: now,
            platform: origin.platform,
            workspaceId: origin.workspaceId,
          },
          (previous) => noticesToBoth({ kind: previous ? 'moved' : 'set', startsAt, manager, person, key }, origin),
        );
        await sendRecorded(ctx.org.id, recorded);
        const when = meetingTime(startsAt, ctx.actor, { personId: person.id, timezone: person.timezone });
        return [
          {
            type: 'done',
            message: textMessage(`📅 Review conversation with ${person.display_name}: ${when}. You both have it, and a reminder an hour before.`),
          },
        ];
      },
    },
  };
}
