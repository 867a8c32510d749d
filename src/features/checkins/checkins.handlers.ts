import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import type { Effect } from '../../chat/effects';
import { Invalid, NotAllowed, NotFound } from '../../chat/errors';
import type { Feature, HandlerContext } from '../../chat/feature';
import { textMessage } from '../../chat/ui';
import type { Person } from '../../db/database';
import { cadenceOf, localDate, localWhen, nextOccurrence } from '../../schedule/cadence.rules';
import { authorizeOn } from '../people/authorization';
import type { CheckinsDeps } from './checkins.deps';
import { streak } from './checkins.rules';
import { digestPage } from './checkins.jobs';
import { DIGEST_MORE, HISTORY, SETUP, SETUP_FORM, type TeamView, dayLabel, historyMessage, homeSection } from './checkins.views';
import { promptHandlers } from './prompts.handlers';
import { setupHandlers } from './setup.handlers';

dayjs.extend(customParseFormat);

const USAGE =
  'Try {typed:checkin} (your history), {typed:checkin setup}, {typed:checkin away until 2026-12-05}, {typed:checkin back}, {typed:checkin 1on1 @name every friday 10:00} or {typed:checkin agenda @name}.';

/** `/checkin`: a person's history and streak, their home section, days away; setup and prompts have files of their own. */
export function checkinsFeature(deps: CheckinsDeps): Feature {
  const { queries, people, clock } = deps;
  const setup = setupHandlers(deps);
  const prompts = promptHandlers(deps);

  /** A team's latest round of check-ins: its period, its prompts and how many were answered. */
  async function latestRound(orgId: string, teamId: string) {
    const prompts = await queries.teamPrompts(orgId, teamId, 1);
    const period = prompts[0]?.period;
    return period ? { period, prompts, answered: prompts.filter((p) => p.status === 'answered').length, expected: prompts.length } : undefined;
  }

  /** The person's last day away, as they read it, while they are away. */
  function awayUntil(person: Person, now: Date): string | undefined {
    const away = person.away_until !== null && person.away_until >= localDate(now, person.timezone);
    return away ? dayLabel(person.away_until!) : undefined;
  }

  type LedTeam = NonNullable<Awaited<ReturnType<typeof queries.teamOf>>>;

  /** The team the actor runs: who is in it, when it is asked (next in their time), and its latest round. */
  async function teamView(ctx: HandlerContext, team: LedTeam, now: Date): Promise<TeamView> {
    const round = await waitingOn(ctx, team.id);
    const missed = (dueAt: Date) => now.getTime() >= dueAt.getTime() + team.deadline_hours * 3_600_000;
    return {
      memberIds: team.members.map((m) => m.id),
      every: team.every,
      weekday: team.weekday,
      localTime: team.local_time,
      next: localWhen(nextOccurrence(cadenceOf(team), ctx.actor.timezone, now), ctx.actor.timezone),
      round: round && {
        period: round.period,
        answered: round.answered,
        expected: round.expected,
        rows: round.prompts.map((p) => ({
          promptId: p.id,
          personId: p.person_id,
          name: p.display_name,
          state: p.status === 'sent' ? (missed(p.due_at) ? 'missed' : 'open') : p.status,
          skipReason: p.skip_reason,
        })),
        waiting: round.waiting,
      },
    };
  }

  /**
   * `/checkin`: their own check-ins, or who asks them and when their first comes; for a manager,
   * their team.
   */
  async function history(ctx: HandlerContext): Promise<Effect[]> {
    const now = clock.now();
    const { timezone } = ctx.actor;
    const [rows, led, memberOf] = await Promise.all([
      queries.history(ctx.org.id, ctx.actor.id, 8),
      queries.teamOf(ctx.org.id, ctx.actor.id),
      queries.teamWithMember(ctx.org.id, ctx.actor.id),
    ]);
    const reports = led ? led.members.length : (await people.directReports(ctx.org.id, ctx.actor.id)).length;
    const message = historyMessage({
      rows,
      streak: streak(rows.map((r) => r.status)),
      memberOf: memberOf && {
        managerId: memberOf.manager_id,
        next: localWhen(nextOccurrence(cadenceOf(memberOf), timezone, now), timezone),
        awayUntil: awayUntil(ctx.actor, now),
      },
      team: led && (await teamView(ctx, led, now)),
      canSetUp: reports > 0 || ctx.actor.role === 'hr_admin' || Boolean(led),
    });
    return [{ type: 'reply', message }];
  }

  /** `/checkin @ana`: Ana's check-ins, for her managers up the chart and HR admins. */
  async function historyOf(ctx: HandlerContext, person: Person): Promise<Effect[]> {
    if (person.id === ctx.actor.id) return history(ctx);
    await authorizeOn(ctx, 'checkins.read_answers', person);
    const rows = await queries.history(ctx.org.id, person.id, 8);
    const message = historyMessage({ whose: person.display_name, rows, streak: streak(rows.map((r) => r.status)), canSetUp: false });
    return [{ type: 'reply', message }];
  }

  /** The latest round of the team the person runs, with the check-ins in it they haven't written back about. */
  async function waitingOn(ctx: HandlerContext, teamId: string) {
    const round = await latestRound(ctx.org.id, teamId);
    if (!round) return undefined;
    const replied = await queries.repliedTo(
      ctx.org.id,
      round.prompts.map((p) => p.id),
      ctx.actor.id,
    );
    const waiting = round.prompts
      .filter((p) => p.status !== 'sent' && !replied.has(p.id))
      .map((p) => ({ promptId: p.id, name: p.display_name, status: p.status }));
    return { ...round, waiting };
  }

  /** Their open check-in, the next one and their streak, their team's round if they run one, and their 1:1s. */
  async function home(ctx: HandlerContext) {
    const now = clock.now();
    const { timezone } = ctx.actor;
    const [rows, team, led] = await Promise.all([
      queries.history(ctx.org.id, ctx.actor.id, 52),
      queries.teamWithMember(ctx.org.id, ctx.actor.id),
      queries.teamOf(ctx.org.id, ctx.actor.id),
    ]);
    const [latest] = rows;
    return [
      ...homeSection({
        open: latest?.status === 'sent' ? { promptId: latest.id, period: latest.period } : undefined,
        next: team ? localWhen(nextOccurrence(cadenceOf(team), timezone, now), timezone) : undefined,
        awayUntil: awayUntil(ctx.actor, now),
        streak: streak(rows.map((r) => r.status)),
        team: led ? await waitingOn(ctx, led.id) : undefined,
      }),
    ];
  }

  /** "Show more" under a digest: the page from the check-in it names, as the team's check-ins stand now, for the team's manager. */
  async function moreOfDigest(promptId: string | undefined, ctx: HandlerContext): Promise<Effect[]> {
    const prompt = promptId ? await queries.prompt(ctx.org.id, promptId) : undefined;
    if (!prompt) throw new NotFound("I couldn't find that digest any more.");
    const team = await queries.teamOf(ctx.org.id, ctx.actor.id);
    if (!team || team.id !== prompt.team_id) throw new NotAllowed('Only the team’s manager sees its digest.');
    return [{ type: 'reply', message: await digestPage(queries, team, team.members, prompt.period, prompt.id) }];
  }

  function parseAway(rest: string, ctx: HandlerContext): string {
    const match = /^until\s+(\d{4}-\d{2}-\d{2})$/i.exec(rest.trim());
    if (!match || !dayjs(match[1], 'YYYY-MM-DD', true).isValid()) {
      throw new Invalid('Tell me the last day you are away, like {typed:checkin away until 2026-12-05}.');
    }
    const until = match[1]!;
    if (until < localDate(clock.now(), ctx.actor.timezone)) throw new Invalid('That day has already passed. Pick a day from today on.');
    return until;
  }

  return {
    name: 'checkins',
    help: ['{typed:checkin} your check-ins and streak · {typed:checkin setup} set up your team · {typed:checkin away until 2026-12-05}'],
    home,
    tryThis: {
      text: '**Check in** with your team each week and keep your streak: {typed:checkin} shows yours, {typed:checkin setup} sets up your team’s',
      button: { actionId: HISTORY, label: 'My check-ins' },
    },
    commands: {
      async checkin(interaction, ctx) {
        const [word = '', ...restWords] = interaction.text.trim().split(/\s+/);
        const rest = restWords.join(' ');
        const [mentioned] = interaction.mentions;
        if (mentioned && word.toLowerCase() !== 'setup') {
          const [person] = await ctx.resolvePeople([mentioned]);
          return historyOf(ctx, person!);
        }
        switch (word.toLowerCase()) {
          case '':
            return history(ctx);
          case 'setup': {
            // HR admins may name the manager whose team they set up: `/checkin setup @manager`.
            const [manager = ctx.actor] = await ctx.resolvePeople(interaction.mentions.slice(0, 1));
            return setup.open(ctx, interaction, manager);
          }
          case 'away': {
            const until = parseAway(rest, ctx);
            await people.setAway(ctx.org.id, ctx.actor.id, until);
            return [{ type: 'reply', message: textMessage(`Enjoy your time away. No check-ins or reminders until ${dayLabel(until)} (included).`) }];
          }
          case 'back':
            await people.setAway(ctx.org.id, ctx.actor.id, null);
            return [{ type: 'reply', message: textMessage('Welcome back! Your check-ins are on again.') }];
          default:
            throw new Invalid(`I didn't get that. ${USAGE}`);
        }
      },
    },
    actions: {
      [SETUP]: (interaction, ctx) => setup.open(ctx, interaction, ctx.actor),
      [HISTORY]: (_interaction, ctx) => history(ctx),
      [DIGEST_MORE]: (interaction, ctx) => moreOfDigest(interaction.value, ctx),
      ...prompts.actions,
    },
    forms: {
      [SETUP_FORM]: setup.submit,
      ...prompts.forms,
    },
  };
}
