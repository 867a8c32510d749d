import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import type { Effect } from '../../chat/effects';
import { Invalid, NotAllowed, NotFound } from '../../chat/errors';
import type { Interaction } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { Feature, HandlerContext } from '../../chat/feature';
import type { Message } from '../../chat/ui';
import type { Person } from '../../db/database';
import type { Enqueue } from '../../jobs/registry';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import { POLICY, authorizeOn, can, wholeOrg } from '../people/authorization';
import { checkinDigest } from './checkins.jobs';
import type { CheckinsQueries } from './checkins.queries';
import {
  ANSWER_FORM,
  HISTORY,
  REPLY,
  REPLY_FORM,
  SETUP,
  SETUP_FORM,
  VIEW_ANSWERS,
  SKIP,
  SKIP_FORM,
  SNOOZE,
  START,
  addedToTeamMessage,
  answersMessage,
  answerForm,
  closedPromptMessage,
  dayLabel,
  historyMessage,
  homeSection,
  replyForm,
  replyMessage,
  setupForm,
  skipForm,
  streakLine,
} from './checkins.views';
import { DEFAULT_QUESTIONS, formatQuestions, parseQuestions } from './questions.rules';
import { WEEKDAYS, cadenceOf, localDate, localWhen, nextOccurrence } from '../../schedule/cadence.rules';
import { streak } from './checkins.rules';

export interface CheckinsDeps {
  queries: CheckinsQueries;
  enqueue: Enqueue;
  clock: Clock;
  /** Replies and welcomes to a team are recorded already claimed, and sent from this process. */
  sendRecorded: SendRecorded;
}

dayjs.extend(customParseFormat);

const SNOOZE_HOURS = 2;
const text = (t: string): Message => ({ summary: t, blocks: [{ type: 'section', text: t }] });
const USAGE = 'Try `/checkin` (your history), `/checkin setup`, `/checkin away until 2026-12-05`, `/checkin back`, `/checkin 1on1 @ana every friday 10:00` or `/checkin agenda @ana`.';

export function checkinsFeature({ queries, enqueue, clock, sendRecorded }: CheckinsDeps): Feature {

  /** The prompt, if it is the actor's own. */
  async function ownPrompt(ctx: HandlerContext, promptId: string | undefined) {
    const prompt = promptId ? await queries.prompt(ctx.org.id, promptId) : undefined;
    if (!prompt) throw new NotFound("I couldn't find that check-in any more.");
    if (prompt.person_id !== ctx.actor.id) throw new NotAllowed('This check-in belongs to someone else.');
    return prompt;
  }

  /** The last answer of a period sends the manager's digest right away rather than at the next tick. */
  const digestSoon = (prompt: { team_id: string; period: string }) =>
    enqueue(checkinDigest, { teamId: prompt.team_id, period: prompt.period }, { jobId: `checkin-digest-${prompt.team_id}-${prompt.period}` }).catch(
      () => {
        // The scheduler's next tick sends it anyway.
      },
    );

  const alreadyClosed = (prompt: { status: string; period: string }): Effect[] => [
    { type: 'update_source', message: closedPromptMessage(prompt.period, prompt.status === 'answered' ? '✅ Submitted' : '⏭️ Skipped') },
    { type: 'reply', message: text(`You already ${prompt.status === 'answered' ? 'submitted' : 'skipped'} this check-in.`) },
  ];

  async function openSetup(ctx: HandlerContext, interaction: Interaction, manager: Person): Promise<Effect[]> {
    await authorizeOn(ctx, 'checkins.configure', manager);
    const team = await queries.teamOf(ctx.org.id, manager.id);
    const members = team?.members ?? (await queries.directReports(ctx.org.id, manager.id));
    const memberIds = await queries.platformIds(ctx.org.id, interaction.origin.platform, members.map((m) => m.id));
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

  /** A team's latest round of check-ins: its period, its prompts and how many were answered. */
  async function latestRound(teamId: string) {
    const prompts = await queries.teamPrompts(teamId, 1);
    const period = prompts[0]?.period;
    return period ? { period, prompts, answered: prompts.filter((p) => p.status === 'answered').length, expected: prompts.length } : undefined;
  }

  async function history(ctx: HandlerContext): Promise<Effect[]> {
    const rows = await queries.history(ctx.org.id, ctx.actor.id, 8);
    const team = await queries.teamOf(ctx.org.id, ctx.actor.id);
    const teamSummary = team ? await latestRound(team.id) : undefined;
    const reports = team ? team.members.length : (await queries.directReports(ctx.org.id, ctx.actor.id)).length;
    const message = historyMessage({
      rows,
      streak: streak(rows.map((r) => r.status)),
      team: teamSummary,
      canSetUp: reports > 0 || ctx.actor.role === 'hr_admin' || Boolean(team),
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

  /**
   * The other person in a check-in's private thread. It is between the person and the manager whose
   * team the check-in came from, while that manager still manages them in the org chart.
   */
  async function threadPartner(ctx: HandlerContext, prompt: { person_id: string; manager_id: string; org_id: string }): Promise<string> {
    await authorizeOn(ctx, 'checkins.reply', { id: prompt.person_id, org_id: prompt.org_id });
    const person = await queries.person(ctx.org.id, prompt.person_id);
    if (person?.manager_id !== prompt.manager_id) throw new NotAllowed('This check-in was for a team this person is no longer in, so its thread is closed.');
    if (ctx.actor.id === prompt.person_id) return prompt.manager_id;
    if (ctx.actor.id === prompt.manager_id) return prompt.person_id;
    throw new NotAllowed(POLICY['checkins.reply'].refusal);
  }

  /** The latest round of the team the person runs, with the check-ins in it they haven't written back about. */
  async function waitingOn(ctx: HandlerContext, teamId: string) {
    const round = await latestRound(teamId);
    if (!round) return undefined;
    const replied = await queries.repliedTo(ctx.org.id, round.prompts.map((p) => p.id), ctx.actor.id);
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
    const away = ctx.actor.away_until !== null && ctx.actor.away_until >= localDate(now, timezone);
    return [
      ...homeSection({
        open: latest?.status === 'sent' ? { promptId: latest.id, period: latest.period } : undefined,
        next: team ? localWhen(nextOccurrence(cadenceOf(team), timezone, now), timezone) : undefined,
        awayUntil: away ? dayLabel(ctx.actor.away_until!) : undefined,
        streak: streak(rows.map((r) => r.status)),
        team: led ? await waitingOn(ctx, led.id) : undefined,
      }),
    ];
  }

  function parseAway(rest: string, ctx: HandlerContext): string {
    const match = /^until\s+(\d{4}-\d{2}-\d{2})$/i.exec(rest.trim());
    if (!match || !dayjs(match[1], 'YYYY-MM-DD', true).isValid()) {
      throw new Invalid('Tell me the last day you are away, like `/checkin away until 2026-12-05`.');
    }
    const until = match[1]!;
    if (until < localDate(clock.now(), ctx.actor.timezone)) throw new Invalid('That day has already passed. Pick a day from today on.');
    return until;
  }

  return {
    name: 'checkins',
    help: [
      '`/checkin` your check-ins and streak · `/checkin setup` set up your team · `/checkin away until 2026-12-05`',
    ],
    home,
    tryThis: {
      text: '**Check in** with your team each week and keep your streak: `/checkin` shows yours, `/checkin setup` sets up your team’s',
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
            return openSetup(ctx, interaction, manager);
          }
          case 'away': {
            const until = parseAway(rest, ctx);
            await queries.setAway(ctx.org.id, ctx.actor.id, until);
            return [{ type: 'reply', message: text(`Enjoy your time away. No check-ins or reminders until ${dayLabel(until)} (included).`) }];
          }
          case 'back':
            await queries.setAway(ctx.org.id, ctx.actor.id, null);
            return [{ type: 'reply', message: text('Welcome back! Your check-ins are on again.') }];
          default:
            throw new Invalid(`I didn't get that. ${USAGE}`);
        }
      },
    },
    actions: {
      [SETUP]: (interaction, ctx) => openSetup(ctx, interaction, ctx.actor),
      [HISTORY]: (_interaction, ctx) => history(ctx),

      async [START](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.value);
        if (prompt.status !== 'sent') return alreadyClosed(prompt);
        const questions = await queries.questionsOf(prompt.team_id);
        return [{ type: 'open_form', form: answerForm(prompt.id, prompt.period, questions) }];
      },

      async [SKIP](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.value);
        if (prompt.status !== 'sent') return alreadyClosed(prompt);
        return [{ type: 'open_form', form: skipForm(prompt.id) }];
      },

      async [SNOOZE](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.value);
        const until = new Date(clock.now().getTime() + SNOOZE_HOURS * 3_600_000);
        if (!(await queries.snooze(ctx.org.id, prompt.id, until))) return alreadyClosed(prompt);
        const local = dayjs(until).tz(ctx.actor.timezone).format('HH:mm');
        return [{ type: 'update_source', message: closedPromptMessage(prompt.period, `😴 Snoozed: I'll bring it back at ${local}`) }];
      },

      async [REPLY](interaction, ctx) {
        const prompt = interaction.value ? await queries.prompt(ctx.org.id, interaction.value) : undefined;
        if (!prompt) throw new NotFound("I couldn't find that check-in any more.");
        const other = await queries.person(ctx.org.id, await threadPartner(ctx, prompt));
        return [{ type: 'open_form', form: replyForm(prompt.id, other?.display_name ?? 'them') }];
      },

      /** Opens a check-in's answers, privately, to the person and those the policy lets read them. */
      async [VIEW_ANSWERS](interaction, ctx) {
        const prompt = interaction.value ? await queries.prompt(ctx.org.id, interaction.value) : undefined;
        if (!prompt) throw new NotFound("I couldn't find that check-in any more.");
        await authorizeOn(ctx, 'checkins.read_answers', { id: prompt.person_id, org_id: prompt.org_id });
        const [person, answers] = await Promise.all([queries.person(ctx.org.id, prompt.person_id), queries.answers([prompt.id])]);
        return [{ type: 'reply', message: answersMessage({ period: prompt.period, name: person?.display_name ?? 'Someone', answers }) }];
      },
    },
    forms: {
      async [ANSWER_FORM](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.state.promptId);
        if (prompt.status !== 'sent') return alreadyClosed(prompt);
        const questions = await queries.questionsOf(prompt.team_id);
        const answers = questions.flatMap((q) => {
          const raw = interaction.values[q.id];
          const value = (Array.isArray(raw) ? raw.join(', ') : (raw ?? '')).trim();
          if (q.kind === 'rating') {
            const n = Number(value);
            const max = Number(q.options?.[0] ?? 5);
            if (!Number.isInteger(n) || n < 1 || n > max) throw new Invalid(`Pick a number from 1 to ${max}.`, q.id);
          }
          if (q.kind === 'choice' && value && !(q.options ?? []).includes(value)) throw new Invalid('Pick one of the choices.', q.id);
          if (value.length > 2000) throw new Invalid('Please keep each answer under 2000 characters.', q.id);
          return value ? [{ questionId: q.id, value }] : [];
        });
        if (answers.length === 0) throw new Invalid('Answer at least one question, or skip this check-in instead.', questions[0]?.id);
        if (!(await queries.answer(ctx.org.id, prompt.id, answers))) return alreadyClosed(prompt);
        await digestSoon(prompt);
        const history = await queries.history(ctx.org.id, ctx.actor.id, 52);
        return [
          { type: 'update_source', message: closedPromptMessage(prompt.period, '✅ Submitted') },
          { type: 'done', message: text(`Thanks, your check-in is in.${streakLine(streak(history.map((h) => h.status)))}`) },
        ];
      },

      async [SKIP_FORM](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.state.promptId);
        const reason = String(interaction.values.reason ?? '').trim();
        if (!reason) throw new Invalid('Say in a few words why, so your manager knows.', 'reason');
        if (!(await queries.skip(ctx.org.id, prompt.id, reason.slice(0, 300)))) return alreadyClosed(prompt);
        await digestSoon(prompt);
        return [
          { type: 'update_source', message: closedPromptMessage(prompt.period, `⏭️ Skipped: ${reason.slice(0, 300)}`) },
          { type: 'done', message: text('Skipped. See you next time!') },
        ];
      },

      async [REPLY_FORM](interaction, ctx) {
        const prompt = interaction.state.promptId ? await queries.prompt(ctx.org.id, interaction.state.promptId) : undefined;
        if (!prompt) throw new NotFound("I couldn't find that check-in any more.");
        const to = await threadPartner(ctx, prompt);
        const body = String(interaction.values.text ?? '').trim();
        if (!body) throw new Invalid('Write a few words first.', 'text');
        if (body.length > 2000) throw new Invalid('Please keep it under 2000 characters.', 'text');
        const recorded = await queries.addReply(
          { orgId: ctx.org.id, promptId: prompt.id, authorId: ctx.actor.id, text: body, idempotencyKey: `reply:${interaction.origin.platform}:${interaction.idempotencyKey}` },
          (replyId) => ({
            dedupeKey: `checkin-reply:${replyId}`,
            platform: prompt.platform,
            target: { kind: 'person', workspaceId: prompt.workspace_id, personId: to },
            message: replyMessage({ fromId: ctx.actor.id, period: prompt.period, text: body, promptId: prompt.id }),
          }),
        );
        await sendRecorded(ctx.org.id, recorded);
        return [{ type: 'done', message: text('Sent privately.') }];
      },

      async [SETUP_FORM](interaction, ctx) {
        const managerId = interaction.state.managerId ?? ctx.actor.id;
        const manager = managerId === ctx.actor.id ? ctx.actor : await queries.person(ctx.org.id, managerId);
        if (!manager) throw new NotFound("I couldn't find that manager any more.");
        await authorizeOn(ctx, 'checkins.configure', manager);
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
              `${m.display_name} doesn't report to ${manager.id === ctx.actor.id ? 'you' : manager.display_name} in the org chart. An HR admin can change that with \`/hepo org\`.`,
              'members',
            );
          }
        }
        const every = interaction.values.every === 'two_weeks' ? 'two_weeks' : 'week';
        const weekday = Number(interaction.values.weekday ?? 5);
        if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) throw new Invalid('Pick a day of the week.', 'weekday');
        const localTime = String(interaction.values.time ?? '15:00');
        if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(localTime)) throw new Invalid('Pick a time like 15:00.', 'time');
        const questions = parseQuestions(String(interaction.values.questions ?? ''));

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
        return [
          {
            type: 'done',
            message: text(`✅ Check-ins are set for ${members.length} ${members.length === 1 ? 'person' : 'people'}: ${when}, in each person's own time, with ${questions.length} questions.`),
          },
        ];
      },
    },
  };
}
