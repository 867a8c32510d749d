import type { Clock } from '../../chat/ports';
import { z } from 'zod';
import { type Enqueue, type JobDefinition, jobType } from '../../jobs/registry';
import { enqueueDeliveries } from '../../notify/deliver-notifications.job';
import type { CheckinsQueries } from './checkins.queries';
import { type DigestRow, answerForm, digestMessage, promptMessage } from './checkins.views';
import { cadenceOf, localDate, localInstant, openPeriods, reminderTime, workingHoursOf } from '../../schedule/cadence.rules';

export interface CheckinJobDeps {
  queries: CheckinsQueries;
  enqueue: Enqueue;
  clock: Clock;
}

type Schedule = Awaited<ReturnType<CheckinsQueries['schedule']>>;
type Team = Schedule['teams'][number];
type Member = Schedule['members'][number];

const HOUR = 3_600_000;

/** Every minute: what is due of prompts, reminders, snoozes and digests, worked out from Postgres. */
export const checkinTick = jobType('checkin_tick', z.object({}));
/** Right after an answer: the digest, if that was the last one in. */
export const checkinDigest = jobType('checkin_digest', z.object({ teamId: z.uuid(), period: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }));
type Question = Awaited<ReturnType<CheckinsQueries['questionsOf']>>[number];
const targetOf = (team: Team, personId: string) => ({ kind: 'person' as const, workspaceId: team.workspace_id, personId });
const promptFor = (team: Team, member: Member, period: string, promptId: string, questions: Question[], reminder: boolean) =>
  promptMessage({ name: member.display_name, period, promptId, reminder, form: answerForm(promptId, period, questions) });
const isAway = (member: DigestMember, dueAt: Date) => member.away_until !== null && member.away_until >= localDate(dueAt, member.timezone);
const dueAtFor = (team: Pick<Team, 'local_time'>, member: Pick<Member, 'timezone'>, period: string) => localInstant(period, team.local_time, member.timezone);
/** The digest goes once every member's answer window has closed (or earlier, when all have answered). */
const digestDeadline = (team: Team, members: Member[], period: string) =>
  Math.max(...members.map((m) => dueAtFor(team, m, period).getTime())) + team.deadline_hours * HOUR;

type DigestTeam = Pick<Team, 'id' | 'org_id' | 'local_time'>;
type DigestMember = Pick<Member, 'id' | 'display_name' | 'timezone' | 'active' | 'is_bot' | 'away_until'>;
type Prompts = Awaited<ReturnType<CheckinsQueries['promptsFor']>>;

/** Where each member stands in a period: answered, skipped, away or missing; by name, so every page of a digest has its own people. */
function digestStates(team: DigestTeam, members: DigestMember[], period: string, prompts: Prompts): DigestRow[] {
  return members
    .filter((m) => m.active && !m.is_bot)
    .sort((a, b) => a.display_name.localeCompare(b.display_name) || a.id.localeCompare(b.id))
    .map((m) => {
      const prompt = prompts.find((p) => p.person_id === m.id);
      const away = !prompt && isAway(m, dueAtFor(team, m, period));
      return {
        promptId: prompt?.id,
        personId: m.id,
        name: m.display_name,
        state: away ? 'away' : prompt?.status === 'answered' ? 'answered' : prompt?.status === 'skipped' ? 'skipped' : 'missing',
      };
    });
}

/** The rows with what the answers say: the mood, what is in the way, why a check-in was skipped. */
async function withAnswers(queries: CheckinsQueries, orgId: string, rows: DigestRow[], prompts: Prompts): Promise<DigestRow[]> {
  const answers = await queries.answers(
    orgId,
    prompts.map((p) => p.id),
  );
  for (const row of rows) {
    const mine = answers.filter((a) => a.prompt_id === row.promptId);
    const mood = mine.find((a) => a.role === 'mood');
    if (mood) row.mood = { value: Number(mood.value), max: Number(mood.options?.[0] ?? 5) };
    row.blockers = mine.find((a) => a.role === 'blockers')?.value;
    if (row.state === 'skipped') row.skipReason = (await queries.prompt(orgId, row.promptId!))?.skip_reason;
  }
  return rows;
}

/** The page of a period's digest, as it stands now, that starts at the check-in `startAt`: what "Show more" brings. */
export async function digestPage(queries: CheckinsQueries, team: DigestTeam, members: DigestMember[], period: string, startAt: string) {
  const prompts = await queries.promptsFor([team.id], [period]);
  const rows = await withAnswers(queries, team.org_id, digestStates(team, members, period, prompts), prompts);
  return digestMessage({ period, rows, trend: await moodTrend(queries, team.org_id, team.id), startAt });
}

/**
 * Sends the manager's digest for a period when everyone who isn't away has answered or skipped, or
 * once the deadline has passed. Recorded once per team and period.
 */
async function sendDigestIfDue(deps: CheckinJobDeps, team: Team, members: Member[], period: string): Promise<void> {
  const { queries, clock } = deps;
  if (await queries.digestSent(team.org_id, team.id, period)) return;
  const prompts = await queries.promptsFor([team.id], [period]);
  if (prompts.length === 0) return;
  const now = clock.now().getTime();
  const states = digestStates(team, members, period, prompts);
  const allIn = states.every((r) => r.state !== 'missing');
  if (!allIn && now < digestDeadline(team, members, period)) return;

  const rows = await withAnswers(queries, team.org_id, states, prompts);
  const trend = await moodTrend(queries, team.org_id, team.id);
  const ids = await queries.recordDigest(team.org_id, team.id, period, {
    dedupeKey: `checkin-digest:${team.id}:${period}`,
    platform: team.platform,
    target: { kind: 'person', workspaceId: team.workspace_id, personId: team.manager_id },
    message: digestMessage({ period, rows, trend }),
  });
  await enqueueDeliveries(deps.enqueue, ids);
}

/** Average mood of the team's latest periods, newest first. */
async function moodTrend(queries: CheckinsQueries, orgId: string, teamId: string): Promise<number[]> {
  const prompts = await queries.teamPrompts(orgId, teamId, 4);
  const answers = await queries.answers(
    orgId,
    prompts.map((p) => p.id),
  );
  const periods = [...new Set(prompts.map((p) => p.period))];
  return periods.flatMap((period) => {
    const moods = answers.filter((a) => a.role === 'mood' && prompts.some((p) => p.id === a.prompt_id && p.period === period)).map((a) => Number(a.value));
    return moods.length > 0 ? [moods.reduce((x, y) => x + y, 0) / moods.length] : [];
  });
}

/**
 * The scheduler. Every minute it works out, from Postgres alone, which prompts, reminders, snoozes,
 * digests and 1:1 reminders are due in each person's own timezone, and records them with their dedupe keys. Redis
 * only carries the tick, so wiping it loses nothing: the next tick finds the same work.
 */
export function checkinTickJob(deps: CheckinJobDeps): JobDefinition {
  const { queries, clock, enqueue } = deps;
  return {
    type: checkinTick,
    attempts: 1,
    backoffMs: 0,
    everyMs: 60_000,
    async handle() {
      const now = clock.now();
      const { teams, members } = await queries.schedule();
      const periodsByTeam = new Map(teams.map((t) => [t.id, openPeriods(cadenceOf(t), now)]));
      const existing = await queries.promptsFor(
        teams.map((t) => t.id),
        [...new Set([...periodsByTeam.values()].flat())],
      );
      const byKey = new Map(existing.map((p) => [`${p.team_id}/${p.person_id}/${p.period}`, p]));
      const promptOf = (teamId: string, personId: string, period: string) => byKey.get(`${teamId}/${personId}/${period}`);

      for (const team of teams) {
        if (!team.manager_active) continue;
        const teamMembers = members.filter((m) => m.team_id === team.id);
        const questions = await queries.questionsOf(team.org_id, team.id);
        for (const period of periodsByTeam.get(team.id)!) {
          const newPrompts: Array<{ orgId: string; teamId: string; personId: string; period: string; dueAt: Date }> = [];
          for (const member of teamMembers) {
            if (!member.active || member.is_bot) continue;
            const dueAt = dueAtFor(team, member, period);
            const deadline = dueAt.getTime() + team.deadline_hours * HOUR;
            if (dueAt < team.created_at || now < dueAt || now.getTime() >= deadline) continue;
            const prompt = promptOf(team.id, member.id, period);
            if (!prompt) {
              if (!isAway(member, dueAt)) newPrompts.push({ orgId: team.org_id, teamId: team.id, personId: member.id, period, dueAt });
              continue;
            }
            if (prompt.status !== 'sent' || isAway(member, now)) continue;
            const nudge = (kind: 'reminder' | 'snooze_over', dedupeKey: string) =>
              queries.nudge(prompt.id, team.org_id, kind, {
                dedupeKey,
                platform: team.platform,
                target: targetOf(team, member.id),
                message: promptFor(team, member, period, prompt.id, questions, true),
              });
            if (prompt.snoozed_until && prompt.snoozed_until <= now) {
              await enqueueDeliveries(enqueue, await nudge('snooze_over', `checkin-snooze:${prompt.id}:${prompt.snoozes}`));
            } else if (!prompt.reminded && !prompt.snoozed_until && now >= reminderTime(dueAt, team.reminder_hours, member.timezone, workingHoursOf(team))) {
              await enqueueDeliveries(enqueue, await nudge('reminder', `checkin-reminder:${prompt.id}`));
            }
          }
          const byPerson = new Map(teamMembers.map((m) => [m.id, m]));
          const ids = await queries.createPrompts(newPrompts, (p) => ({
            dedupeKey: `checkin:${p.person_id}:${team.id}:${p.period}`,
            platform: team.platform,
            target: targetOf(team, p.person_id),
            message: promptFor(team, byPerson.get(p.person_id)!, p.period, p.id, questions, false),
          }));
          await enqueueDeliveries(enqueue, ids, { fanOut: true });
          if (teamMembers.length > 0) await sendDigestIfDue(deps, team, teamMembers, period);
        }
      }
    },
  };
}

/** Runs right after an answer, so the digest goes as soon as the last person answers. */
export function checkinDigestJob(deps: CheckinJobDeps): JobDefinition<z.infer<typeof checkinDigest.payload>> {
  return {
    type: checkinDigest,
    attempts: 3,
    backoffMs: 5_000,
    async handle({ teamId, period }) {
      const { teams, members } = await deps.queries.schedule();
      const team = teams.find((t) => t.id === teamId);
      if (team)
        await sendDigestIfDue(
          deps,
          team,
          members.filter((m) => m.team_id === teamId),
          period,
        );
    },
  };
}
