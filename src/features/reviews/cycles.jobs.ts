import { z } from 'zod';
import type { Clock, OutgoingNotification } from '../../chat/ports';
import type { Platform, ReviewPhaseKind } from '../../db/database';
import { type Enqueue, type JobDefinition, jobType } from '../../jobs/registry';
import { enqueueDeliveries } from '../../notify/deliver-notifications.job';
import { type WorkingHours, dateEverywhere, dateSomewhere, localDate, workingHoursOf } from '../../schedule/cadence.rules';
import { phaseDone } from './cycle.rules';
import { PARTICIPANT_PHASES, dueFor, shiftedByMonths } from './cycle-plan.rules';
import type { CyclesQueries, ParticipantRow } from './cycles.queries';
import { type ParticipantPhase, behindSummary, phaseNudge, reviewerNudge } from './cycles.views';
import { type NudgeKind, dueNudgesAt } from './nudges.rules';

/** Every 15 minutes: what review cycles owe people now, worked out from Postgres alone. */
export const reviewCyclesTick = jobType('review_cycles_tick', z.object({}));

/** An open cycle as the tick reads it: the cycle, its phases, its participants and their own deadlines. */
export interface CycleRun {
  cycle: { id: string; org_id: string; name: string; platform: Platform; workspace_id: string };
  hours: WorkingHours;
  phases: Array<{ kind: ReviewPhaseKind; opens_on: string; due_on: string }>;
  participants: ParticipantRow[];
  overrides: Map<string, string>;
}

export async function loadRun(queries: CyclesQueries, cycle: CycleRun['cycle'] & { work_start_hour: number; work_end_hour: number }): Promise<CycleRun> {
  const [phases, participants, overrides] = await Promise.all([
    queries.phases(cycle.org_id, cycle.id),
    queries.participants(cycle.org_id, cycle.id),
    queries.overrides(cycle.org_id, cycle.id),
  ]);
  return { cycle, hours: workingHoursOf(cycle), phases, participants, overrides };
}

const toPerson = (run: CycleRun, personId: string) => ({ kind: 'person' as const, workspaceId: run.cycle.workspace_id, personId });

/** A participant's nudge for one of their phases. */
function participantNudge(run: CycleRun, p: ParticipantRow, kind: ParticipantPhase, nudge: NudgeKind, dueOn: string, dedupeKey: string): OutgoingNotification {
  return {
    dedupeKey,
    platform: run.cycle.platform,
    target: toPerson(run, p.person_id),
    message: phaseNudge({ cycleName: run.cycle.name, kind, nudge, dueOn, participantId: p.id }),
  };
}

/** Reviewers with the reports whose manager review is still to write, and the latest deadline among them. */
function reviewsToWrite(run: CycleRun, phase: CycleRun['phases'][number]) {
  const byReviewer = new Map<string, { dueOn: string; reports: ParticipantRow[] }>();
  for (const p of run.participants) {
    if (!p.reviewer_id || phaseDone(p.state, 'manager_review')) continue;
    const due = dueFor(phase, p.id, run.overrides);
    const entry = byReviewer.get(p.reviewer_id) ?? { dueOn: due, reports: [] };
    entry.reports.push(p);
    if (due > entry.dueOn) entry.dueOn = due;
    byReviewer.set(p.reviewer_id, entry);
  }
  return byReviewer;
}

const reviewerMessage = (
  run: CycleRun,
  reviewerId: string,
  nudge: NudgeKind,
  dueOn: string,
  reports: ParticipantRow[],
  dedupeKey: string,
): OutgoingNotification => ({
  dedupeKey,
  platform: run.cycle.platform,
  target: toPerson(run, reviewerId),
  message: reviewerNudge({
    cycleName: run.cycle.name,
    nudge,
    dueOn,
    reports: reports.map((r) => ({ personId: r.person_id, participantId: r.id, state: r.state })),
  }),
});

/**
 * The nudges due now: each person's latest, for every phase they still have a task in (a person's
 * sign-off only once there is a review to sign); the reviewer's for all their reports at once; after
 * a deadline, each manager hears once who of their reports is behind. A nudge's dedupe key names the
 * person, the phase, the nudge and the deadline: sent once, and again counted down from a new deadline
 * (the opening, once whatever the deadline).
 */
function nudgesDue(run: CycleRun, now: Date): OutgoingNotification[] {
  const out: OutgoingNotification[] = [];
  const key = (...parts: string[]) => ['review-nudge', run.cycle.id, ...parts].join(':');
  const dueNudge = dueNudgesAt(run.hours, now);
  for (const phase of run.phases) {
    if (phase.kind === 'manager_review') {
      for (const [reviewerId, { dueOn, reports }] of reviewsToWrite(run, phase)) {
        const zone = reports[0]!.reviewer_timezone ?? 'UTC';
        const nudge = dueNudge({ opensOn: phase.opens_on, dueOn }, zone);
        if (nudge)
          out.push(
            reviewerMessage(
              run,
              reviewerId,
              nudge,
              dueOn,
              reports,
              nudge === 'opened' ? key(phase.kind, reviewerId, nudge) : key(phase.kind, reviewerId, nudge, dueOn),
            ),
          );
      }
      continue;
    }
    if (!PARTICIPANT_PHASES.includes(phase.kind)) continue;
    const kind = phase.kind as ParticipantPhase;
    const behind = new Map<string, { zone: string; personIds: string[] }>();
    for (const p of run.participants) {
      if (phaseDone(p.state, kind)) continue;
      const dueOn = dueFor(phase, p.id, run.overrides);
      const nudge = dueNudge({ opensOn: phase.opens_on, dueOn }, p.timezone);
      if (!nudge || (kind === 'sign_off' && nudge !== 'opened' && p.state !== 'shared')) continue;
      // The opening is said once: a deadline moved later restarts the countdown, not the opening.
      out.push(participantNudge(run, p, kind, nudge, dueOn, nudge === 'opened' ? key(kind, p.person_id, nudge) : key(kind, p.person_id, nudge, dueOn)));
      if (nudge === 'overdue' && p.reviewer_id && kind !== 'sign_off') {
        const entry = behind.get(p.reviewer_id) ?? { zone: p.reviewer_timezone ?? 'UTC', personIds: [] };
        entry.personIds.push(p.person_id);
        behind.set(p.reviewer_id, entry);
      }
    }
    for (const [managerId, { zone, personIds }] of behind) {
      if (dueNudge({ opensOn: phase.opens_on, dueOn: phase.due_on }, zone) !== 'overdue') continue;
      out.push({
        dedupeKey: ['review-behind', run.cycle.id, kind, managerId, phase.due_on].join(':'),
        platform: run.cycle.platform,
        target: toPerson(run, managerId),
        message: behindSummary({ cycleName: run.cycle.name, kind, dueOn: phase.due_on, personIds }),
      });
    }
  }
  return out;
}

/**
 * HR's "Remind everyone behind": one reminder to each person behind in a phase open on `today`
 * (their first such phase), and one to each reviewer with reviews to write; each at most once a day.
 */
export function remindersFor(run: CycleRun, today: string, now: Date): OutgoingNotification[] {
  const open = run.phases.filter((p) => p.opens_on <= today);
  const out: OutgoingNotification[] = [];
  const key = (personId: string) => ['review-remind', run.cycle.id, personId, today].join(':');
  const dueNudge = dueNudgesAt(run.hours, now);
  for (const p of run.participants) {
    const phase = open.find((ph) => ph.kind !== 'sign_off' && PARTICIPANT_PHASES.includes(ph.kind) && !phaseDone(p.state, ph.kind));
    if (!phase) continue;
    const dueOn = dueFor(phase, p.id, run.overrides);
    const nudge = dueNudge({ opensOn: phase.opens_on, dueOn }, p.timezone) ?? 'opened';
    out.push(participantNudge(run, p, phase.kind as ParticipantPhase, nudge, dueOn, key(p.person_id)));
  }
  const writing = open.find((p) => p.kind === 'manager_review');
  if (writing) {
    for (const [reviewerId, { dueOn, reports }] of reviewsToWrite(run, writing)) {
      const nudge = dueNudge({ opensOn: writing.opens_on, dueOn }, reports[0]!.reviewer_timezone ?? 'UTC') ?? 'opened';
      out.push(reviewerMessage(run, reviewerId, nudge, dueOn, reports, `${key(reviewerId)}:reviews`));
    }
  }
  return out;
}

/**
 * 360° feedback closes for a participant when their request closed, or when the 360° phase's
 * deadline passed (their day) with no request asked: the move is recorded once (its key).
 */
async function closeFeedback(queries: CyclesQueries, run: CycleRun, now: Date): Promise<void> {
  const phase = run.phases.find((p) => p.kind === 'feedback_360');
  if (!phase) return;
  const requests = await queries.feedbackRequests(run.cycle.org_id, run.cycle.id);
  for (const p of run.participants) {
    if (phaseDone(p.state, 'feedback_360')) continue;
    const closed = requests.get(p.id);
    const lapsed = closed === undefined && localDate(now, p.timezone) > dueFor(phase, p.id, run.overrides);
    if (!closed && !lapsed) continue;
    const moved = await queries.move({
      orgId: run.cycle.org_id,
      participantId: p.id,
      event: 'feedback_closed',
      actorId: null,
      at: now,
      idempotencyKey: `feedback-closed:${p.id}`,
    });
    if (moved.kind === 'moved') p.state = moved.to;
  }
}

export function reviewCyclesTickJob({ queries, enqueue, clock }: { queries: CyclesQueries; enqueue: Enqueue; clock: Clock }): JobDefinition {
  return {
    type: reviewCyclesTick,
    attempts: 1,
    backoffMs: 0,
    everyMs: 15 * 60_000,
    async handle() {
      const now = clock.now();
      for (const cycle of await queries.open()) {
        const run = await loadRun(queries, cycle);
        await closeFeedback(queries, run, now);
        await enqueueDeliveries(enqueue, await queries.recordNudges(cycle.org_id, nudgesDue(run, now)), { fanOut: true });
        const signOff = run.phases.find((p) => p.kind === 'sign_off');
        const everyoneSigned = run.participants.length > 0 && run.participants.every((p) => p.state === 'signed');
        if (everyoneSigned || (signOff && dateEverywhere(now) > signOff.due_on)) await queries.close(cycle.org_id, cycle.id, now);
      }
      for (const cycle of await queries.toRepeat()) {
        const phases = shiftedByMonths(
          (await queries.phases(cycle.org_id, cycle.id)).map((p) => ({ kind: p.kind, opensOn: p.opens_on, dueOn: p.due_on })),
          cycle.repeat_months!,
        );
        // Made as its first phase opens somewhere, so its people are the org chart's of then.
        if (phases.length === 0 || dateSomewhere(now) < phases[0]!.opensOn) continue;
        await queries.create({
          orgId: cycle.org_id,
          name: cycle.name,
          audience: cycle.audience,
          repeatMonths: cycle.repeat_months,
          repeatsId: cycle.id,
          createdBy: cycle.created_by,
          idempotencyKey: `repeat:${cycle.id}`,
          platform: cycle.platform,
          workspaceId: cycle.workspace_id,
          phases,
        });
      }
    },
  };
}
