import dayjs from 'dayjs';
import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import { boundedText } from '../../chat/input';
import type { Handler, HandlerContext } from '../../chat/feature';
import type { Interaction } from '../../chat/interaction';
import { textMessage } from '../../chat/ui';
import type { Person } from '../../db/database';
import { WEEKDAYS, localDate } from '../../schedule/cadence.rules';
import { authorizeOn, can, wholeOrg } from '../people/authorization';
import type { CheckinsDeps } from './checkins.deps';
import { MAX_QUESTIONS_TEXT, addedToTeamMessage, setupForm } from './checkins.views';
import { DEFAULT_QUESTIONS, formatQuestions, parseQuestions } from './questions.rules';

/**
 * Setting up a manager's check-in team: who is in it (their direct reports, and anyone an HR admin
 * adds), when it is asked, and what. Saving makes the members report to the manager.
 */
export function setupHandlers({ queries, people, clock, sendRecorded }: CheckinsDeps) {
  /** The setup form, filled in with the team as it is, or the manager's direct reports for a new one. */
  async function open(ctx: HandlerContext, interaction: Interaction, manager: Person): Promise<Effect[]> {
    await authorizeOn(ctx, 'checkins.configure', manager);
    const team = await queries.teamOf(ctx.org.id, manager.id);
    const members = team?.members ?? (await people.directReports(ctx.org.id, manager.id));
    const memberIds = await people.platformIds(
      ctx.org.id,
      interaction.origin.platform,
      members.map((m) => m.id),
    );
    return [
      {
        type: 'open_form',
        form: setupForm({
          managerId: manager.id,
          memberIds,
          every: team?.every ?? 'week',
          weekday: team?.weekday ?? 5,
          localTime: team?.local_time ?? '15:00',
          questions: team ? formatQuestions(team.questions) : DEFAULT_QUESTIONS,
        }),
      },
    ];
  }

  /** Members must report to the manager unless an HR admin builds the team. */
  async function membersOf(interaction: Extract<Interaction, { kind: 'form_submit' }>, ctx: HandlerContext, manager: Person): Promise<Person[]> {
    const mayAddAnyone = can(ctx.actor, 'checkins.add_anyone', wholeOrg(ctx.org.id));
    const refs = [interaction.values.members ?? []].flat().map((id) => ({ platform: interaction.origin.platform, id }));
    if (refs.length === 0) throw new Invalid('Pick at least one person.', 'members');
    const members = await ctx.resolvePeople(refs);
    for (const m of members) {
      if (m.id === manager.id) throw new Invalid(`Leave ${m.display_name} out: they run this team's check-ins.`, 'members');
      if (m.is_bot) throw new Invalid(`${m.display_name} is a bot.`, 'members');
      if (!m.active) throw new Invalid(`${m.display_name} is no longer active.`, 'members');
      if (m.manager_id !== manager.id && !mayAddAnyone) {
        throw new Invalid(
          `${m.display_name} doesn't report to ${manager.id === ctx.actor.id ? 'you' : manager.display_name} in the org chart. An HR admin can change that with {typed:hepo org}.`,
          'members',
        );
      }
    }
    return members;
  }

  const submit: Handler<'form_submit'> = async (interaction, ctx) => {
    const questionsText = boundedText(interaction.values.questions, MAX_QUESTIONS_TEXT, 'questions');
    const managerId = interaction.state.managerId ?? ctx.actor.id;
    const manager = managerId === ctx.actor.id ? ctx.actor : await people.person(ctx.org.id, managerId);
    if (!manager) throw new NotFound("I couldn't find that manager any more.");
    await authorizeOn(ctx, 'checkins.configure', manager);
    const members = await membersOf(interaction, ctx, manager);
    const every = interaction.values.every === 'two_weeks' ? 'two_weeks' : 'week';
    const weekday = Number(interaction.values.weekday ?? 5);
    if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) throw new Invalid('Pick a day of the week.', 'weekday');
    const localTime = String(interaction.values.time ?? '15:00');
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(localTime)) throw new Invalid('Pick a time like 15:00.', 'time');
    const questions = parseQuestions(questionsText);

    // The two-week rhythm starts at the next occurrence of the chosen day.
    let anchor = dayjs.utc(localDate(clock.now(), manager.timezone));
    while (anchor.day() !== weekday) anchor = anchor.add(1, 'day');
    const welcomes = await queries.saveTeam(
      {
        orgId: ctx.org.id,
        managerId: manager.id,
        every,
        weekday,
        localTime,
        anchorDate: anchor.format('YYYY-MM-DD'),
        reminderHours: 24,
        platform: interaction.origin.platform,
        workspaceId: interaction.origin.workspaceId,
        memberIds: [...new Set(members.map((m) => m.id))],
        questions,
      },
      (personId) => ({
        dedupeKey: `checkin-added:${manager.id}:${personId}`,
        platform: interaction.origin.platform,
        target: { kind: 'person', workspaceId: interaction.origin.workspaceId, personId },
        message: addedToTeamMessage({ managerId: manager.id, weekday, localTime }),
      }),
    );
    await sendRecorded(ctx.org.id, welcomes);
    const when = `${every === 'week' ? 'every' : 'every other'} ${WEEKDAYS[weekday]} at ${localTime}`;
    const count = `${members.length} ${members.length === 1 ? 'person' : 'people'}`;
    return [
      { type: 'done', message: textMessage(`✅ Check-ins are set for ${count}: ${when}, in each person's own time, with ${questions.length} questions.`) },
    ];
  };

  return { open, submit };
}
