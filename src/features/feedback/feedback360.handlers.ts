import dayjs from 'dayjs';
import { z } from 'zod';
import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import type { Feature, HandlerContext } from '../../chat/feature';
import { boundedText, isRowId, singleValue } from '../../chat/input';
import type { Clock, OutgoingNotification } from '../../chat/ports';
import { type Form, type Message, textMessage } from '../../chat/ui';
import type { Platform } from '../../chat/interaction';
import type { Person } from '../../db/database';
import { type Enqueue, type JobDefinition, jobType } from '../../jobs/registry';
import { enqueueDeliveries } from '../../notify/deliver-notifications.job';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import { localDate } from '../../schedule/cadence.rules';
import { authorize, authorizeOn, can, wholeOrg } from '../people/authorization';
import type { PeopleQueries } from '../people/people.queries';
import type { SelfAssessmentQueries } from '../reviews/self-assessment.queries';
import type { Feedback360Queries } from './feedback360.queries';
import { buildReport, questionSetOf, readQuestionSettings, relationshipTo } from './feedback360.rules';
import {
  ANSWER_FORM,
  DECLINE,
  DECLINE_FORM,
  DEFAULT_DUE_DAYS,
  GIVE,
  LIMITS,
  OPEN_SETTINGS,
  REQUEST_FORM,
  REVIEWERS,
  SETTINGS_FORM,
  answerForm,
  declineForm,
  homeSection,
  invitation,
  ratingField,
  reportMessage,
  wordsMessages,
  requestForm,
  settingsForm,
  settingsMessage,
  textField,
} from './feedback360.views';

export interface Feedback360Deps {
  queries: Feedback360Queries;
  people: Pick<PeopleQueries, 'person' | 'directReports' | 'platformIds'>;
  /** The subject's own competency ratings in their latest self-assessment, for the report's self column. */
  selfAssessments: Pick<SelfAssessmentQueries, 'latestCompetencyRatings'>;
  clock: Clock;
  enqueue: Enqueue;
  sendRecorded: SendRecorded;
}

type Request = NonNullable<Awaited<ReturnType<Feedback360Queries['request']>>>;

/** Requests waiting for the person's answer that the home shows (each has two buttons; Teams allows six). */
const HOME_REQUESTS = 2;

/** Reviewers still to answer are reminded once, this many days before the due date. */
const REMIND_DAYS_BEFORE = 2;

/** A request's report and then what people wrote, a message each, as its readers get them: `buildReport` keeps the anonymity rules. */
export async function reportMessages(
  { queries, selfAssessments }: { queries: Pick<Feedback360Queries, 'answers' | 'reviewers'>; selfAssessments: Feedback360Deps['selfAssessments'] },
  request: Request,
  dayOf: (at: Date) => string,
): Promise<Message[]> {
  const [answers, reviewers, assessed] = await Promise.all([
    queries.answers(request.org_id, request.id),
    queries.reviewers(request.org_id, request.id),
    selfAssessments.latestCompetencyRatings(request.org_id, request.subject_id),
  ]);
  const report = buildReport(
    answers.map((a) => ({ relationship: a.relationship, ratings: a.ratings, texts: a.texts, ...(a.reviewer_name ? { reviewerName: a.reviewer_name } : {}) })),
    {
      anonymous: request.anonymous,
      minResponses: request.min_responses,
      questions: request.questions,
      random: Math.random,
      ...(assessed ? { selfAssessment: { ratings: assessed.ratings, submittedOn: dayOf(assessed.submittedAt) } } : {}),
    },
  );
  const declined = reviewers.filter((r) => r.status === 'declined').length;
  return [
    reportMessage({ subjectId: request.subject_id, report, questions: request.questions, declined }),
    ...wordsMessages({ subjectId: request.subject_id, report }),
  ];
}

/**
 * The report goes to the person and their manager once the request closes: at its due date, or as
 * soon as every reviewer has answered or declined. Recorded once per reader and request.
 */
async function sendReport(deps: Feedback360Deps, request: Request): Promise<void> {
  const { queries, people, enqueue } = deps;
  const subject = await people.person(request.org_id, request.subject_id);
  const messages = await reportMessages(deps, request, (day) => localDate(day, subject?.timezone ?? 'UTC'));
  if (!subject) return;
  const manager = subject.manager_id ? await people.person(request.org_id, subject.manager_id) : undefined;
  const about = { id: subject.id, org_id: subject.org_id, managers: subject.manager_id ? [subject.manager_id] : [] };
  const readers = [subject, ...(manager ? [manager] : [])].filter((p) => p.active && can(p, 'feedback360.read_report', about)).map((p) => p.id);
  const notifications: OutgoingNotification[] = readers.flatMap((personId) =>
    messages.map((m, i) => ({
      dedupeKey: `feedback-360-report:${request.id}:${personId}:${i}`,
      platform: request.platform,
      target: { kind: 'person' as const, workspaceId: request.workspace_id, personId },
      message: m,
    })),
  );
  await enqueueDeliveries(enqueue, await queries.recordReport(request.org_id, notifications));
}

/**
 * The request form about `subject`, its reviewers suggested from the org chart (their manager, peers
 * and reports). From a review cycle's 360° phase it carries the participant (the request is tied to
 * them) and the phase's deadline.
 */
export async function requestFormAbout(
  deps: Pick<Feedback360Deps, 'people' | 'clock'>,
  ctx: HandlerContext,
  platform: Platform,
  subject: Person,
  cycle?: { participantId: string; due: string },
): Promise<Form> {
  const { people, clock } = deps;
  const peers = subject.manager_id ? (await people.directReports(ctx.org.id, subject.manager_id)).filter((p) => p.id !== subject.id) : [];
  const reports = await people.directReports(ctx.org.id, subject.id);
  const suggestedIds = [...(subject.manager_id ? [subject.manager_id] : []), ...peers.map((p) => p.id), ...reports.map((p) => p.id)].slice(0, REVIEWERS.max);
  const suggested = await people.platformIds(ctx.org.id, platform, suggestedIds);
  const due = cycle?.due ?? dayjs(localDate(clock.now(), ctx.actor.timezone)).add(DEFAULT_DUE_DAYS, 'day').format('YYYY-MM-DD');
  return requestForm({ subjectId: subject.id, subjectName: subject.display_name, suggested, due, ...(cycle ? { participantId: cycle.participantId } : {}) });
}

/** Every 15 minutes: reminders before the due date, and requests that reached it closed with their report. */
export const feedback360Tick = jobType('feedback_360_tick', z.object({}));

export function feedback360TickJob(deps: Feedback360Deps): JobDefinition {
  return {
    type: feedback360Tick,
    attempts: 1,
    backoffMs: 0,
    everyMs: 15 * 60_000,
    async handle() {
      const now = deps.clock.now();
      for (const request of await deps.queries.open()) {
        const subject = await deps.people.person(request.org_id, request.subject_id);
        const today = localDate(now, subject?.timezone ?? 'UTC');
        if (today >= request.due_on) {
          if (await deps.queries.closeAt(request.org_id, request.id, now)) await sendReport(deps, request);
        } else if (dayjs(request.due_on).diff(dayjs(today), 'day') <= REMIND_DAYS_BEFORE) {
          const ids = await deps.queries.remind(request.org_id, request.id, (reviewerId) => ({
            dedupeKey: `feedback-360-reminder:${request.id}:${reviewerId}`,
            platform: request.platform,
            target: { kind: 'person', workspaceId: request.workspace_id, personId: reviewerId },
            message: invitation({
              requestId: request.id,
              subjectId: request.subject_id,
              requesterId: request.requested_by,
              dueOn: request.due_on,
              anonymous: request.anonymous,
              self: false,
              reminder: true,
            }),
          }));
          await enqueueDeliveries(deps.enqueue, ids, { fanOut: true });
        }
      }
    },
  };
}

/**
 * 360° feedback: the person, their manager or an HR admin asks 3–12 colleagues (suggested from the
 * org chart) for ratings on a set of competencies and a few words; the person rates themselves too.
 * Anonymous or not, chosen per request and said on every form. See `feedback360.rules.ts` for what
 * the report shows.
 */
export function feedback360Feature(deps: Feedback360Deps): Feature {
  const { queries, people, clock, sendRecorded } = deps;

  /** The open request and the actor's place in it, or a kind refusal. */
  async function asReviewer(ctx: HandlerContext, requestId: string | undefined) {
    const request = requestId && isRowId(requestId) ? await queries.request(ctx.org.id, requestId) : undefined;
    const reviewer = request ? await queries.reviewer(ctx.org.id, request.id, ctx.actor.id) : undefined;
    if (!request || !reviewer) throw new NotFound("I couldn't find that feedback request.");
    await authorizeOn(ctx, 'feedback360.answer', { id: request.subject_id, org_id: request.org_id });
    if (request.closed_at) throw new Invalid('This feedback request has closed. Thank you all the same.');
    if (reviewer.status !== 'invited')
      throw new Invalid(reviewer.status === 'answered' ? 'You have already sent your feedback. Thank you!' : 'You declined this request.');
    return { request, reviewer };
  }

  async function subjectOf(ctx: HandlerContext, personId: string): Promise<Person> {
    const subject = await people.person(ctx.org.id, personId);
    if (!subject) throw new NotFound("I couldn't find that person.");
    return subject;
  }

  /** The org's 360° set and smallest anonymous group, for HR admins (`org.settings`). */
  function openSettings(ctx: HandlerContext): Effect[] {
    authorize(ctx.actor, 'org.settings', wholeOrg(ctx.org.id));
    return [{ type: 'open_form', form: settingsForm(questionSetOf(ctx.org), ctx.org.feedback_min_responses) }];
  }

  async function afterResponse(request: Request, closed: boolean) {
    if (closed) await sendReport(deps, request);
  }

  return {
    name: 'feedback360',
    help: [
      '{typed:feedback 360 @name} ask colleagues for 360° feedback about someone (yourself, your report)',
      '{typed:feedback 360 settings} the competencies and open questions new 360° requests ask, and the smallest confidential group (HR admins)',
    ],
    home: async (ctx) => homeSection(await queries.waitingFor(ctx.org.id, ctx.actor.id, HOME_REQUESTS)),
    commands: {
      async 'feedback 360'(interaction, ctx) {
        if (interaction.mentions.length === 0 && /^360\s+settings$/i.test(interaction.text.trim())) return openSettings(ctx);
        const [ref] = interaction.mentions;
        const subject = ref ? (await ctx.resolvePeople([ref]))[0]! : ctx.actor;
        await authorizeOn(ctx, 'feedback360.request', subject);
        return [{ type: 'open_form', form: await requestFormAbout(deps, ctx, interaction.origin.platform, subject) }];
      },
    },
    actions: {
      [OPEN_SETTINGS]: async (_interaction, ctx) => openSettings(ctx),
      async [GIVE](interaction, ctx) {
        const { request, reviewer } = await asReviewer(ctx, interaction.value);
        const subject = await subjectOf(ctx, request.subject_id);
        const draft = await queries.draft(ctx.org.id, request.id, ctx.actor.id);
        const form = answerForm({
          requestId: request.id,
          subjectId: subject.id,
          subjectName: subject.display_name,
          questions: request.questions,
          anonymous: request.anonymous,
          minResponses: request.min_responses,
          asManager: reviewer.relationship === 'manager',
          asSelf: reviewer.relationship === 'self',
          dueOn: request.due_on,
          draft,
        });
        return [{ type: 'open_form', form }];
      },
      async [DECLINE](interaction, ctx) {
        const { request } = await asReviewer(ctx, interaction.value);
        return [{ type: 'open_form', form: declineForm(request.id, (await subjectOf(ctx, request.subject_id)).display_name) }];
      },
    },
    forms: {
      async [SETTINGS_FORM](interaction, ctx) {
        authorize(ctx.actor, 'org.settings', wholeOrg(ctx.org.id));
        const { questions, minResponses } = readQuestionSettings(interaction.values, questionSetOf(ctx.org));
        await queries.saveSettings(ctx.org.id, questions, minResponses);
        return [{ type: 'done', message: settingsMessage(questions, minResponses, '✅ 360° feedback settings saved.') }];
      },
      async [REQUEST_FORM](interaction, ctx) {
        const subjectId = interaction.state.subjectId;
        if (!subjectId || !isRowId(subjectId)) throw new NotFound("I couldn't find that person.");
        const subject = await subjectOf(ctx, subjectId);
        await authorizeOn(ctx, 'feedback360.request', subject);
        const picked = [interaction.values.reviewers ?? []].flat();
        const refs = [...new Set(picked)].map((id) => ({ platform: interaction.origin.platform, id }));
        const reviewers = (await ctx.resolvePeople(refs)).filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
        if (reviewers.some((p) => p.id === subject.id))
          throw new Invalid(`${subject.display_name} is asked to rate themselves anyway: pick the others.`, 'reviewers');
        const unable = reviewers.find((p) => p.is_bot || !p.active);
        if (unable) throw new Invalid(`${unable.display_name} can't give feedback here.`, 'reviewers');
        if (reviewers.length < REVIEWERS.min || reviewers.length > REVIEWERS.max) {
          throw new Invalid(
            `Pick ${REVIEWERS.min} to ${REVIEWERS.max} people (you picked ${reviewers.length}): fewer can't keep answers confidential, more is a survey.`,
            'reviewers',
          );
        }
        const due = String(singleValue(interaction.values.due) ?? '');
        const today = localDate(clock.now(), ctx.actor.timezone);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(due) || due <= today) throw new Invalid('Pick a due date after today.', 'due');
        const anonymous = singleValue(interaction.values.anonymous) !== 'no';
        const all = [
          { personId: subject.id, relationship: 'self' as const },
          ...reviewers.map((p) => ({ personId: p.id, relationship: relationshipTo(subject, p) })),
        ];
        const { origin } = interaction;
        const recorded = await queries.create(
          {
            orgId: ctx.org.id,
            subjectId: subject.id,
            requestedBy: ctx.actor.id,
            dueOn: due,
            anonymous,
            minResponses: ctx.org.feedback_min_responses,
            questions: questionSetOf(ctx.org),
            reviewers: all,
            platform: origin.platform,
            workspaceId: origin.workspaceId,
            idempotencyKey: `feedback-360:${origin.platform}:${interaction.idempotencyKey}`,
            participantId: interaction.state.participantId ?? null,
          },
          (requestId) =>
            all.map((r) => ({
              dedupeKey: `feedback-360:${requestId}:${r.personId}`,
              platform: origin.platform,
              target: { kind: 'person', workspaceId: origin.workspaceId, personId: r.personId },
              message: invitation({ requestId, subjectId: subject.id, requesterId: ctx.actor.id, dueOn: due, anonymous, self: r.relationship === 'self' }),
            })),
        );
        await sendRecorded(ctx.org.id, recorded);
        return [
          {
            type: 'done',
            message: textMessage(
              `Asked ${reviewers.map((p) => p.display_name).join(', ')} for ${anonymous ? 'confidential ' : ''}feedback about ${subject.id === ctx.actor.id ? 'you' : subject.display_name}, due ${due}. The report comes when all have answered, or on the due date.`,
            ),
          },
        ];
      },

      async [ANSWER_FORM](interaction, ctx) {
        const { request, reviewer } = await asReviewer(ctx, interaction.state.requestId);
        const { competencies, questions } = request.questions;
        const texts: Record<string, string> = {};
        for (const q of questions) {
          const text = boundedText(interaction.values[textField(q.id)], LIMITS.answer, textField(q.id));
          if (text) texts[q.id] = text;
        }
        const ratings: Record<string, number> = {};
        for (const c of competencies) {
          const raw = singleValue(interaction.values[ratingField(c.id)]);
          const rating = Number(raw);
          if (raw !== undefined && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) throw new Invalid('Choose from 1 to 5.', ratingField(c.id));
          if (raw !== undefined) ratings[c.id] = rating;
          else if (!interaction.draft) throw new Invalid('Rate this before you send (or save a draft).', ratingField(c.id));
        }
        if (interaction.draft) {
          const values = {
            ...Object.fromEntries(Object.entries(ratings).map(([k, v]) => [ratingField(k), String(v)])),
            ...Object.fromEntries(Object.entries(texts).map(([k, v]) => [textField(k), v])),
          };
          await queries.saveDraft(ctx.org.id, request.id, ctx.actor.id, values);
          return [{ type: 'done', message: textMessage('Draft saved. Pick it up from the same button before the due date.') }];
        }
        const { closed } = await queries.answer({
          orgId: ctx.org.id,
          requestId: request.id,
          reviewerId: ctx.actor.id,
          relationship: reviewer.relationship,
          anonymous: request.anonymous && reviewer.relationship !== 'manager' && reviewer.relationship !== 'self',
          ratings,
          texts,
          at: clock.now(),
        });
        await afterResponse(request, closed);
        return [{ type: 'done', message: textMessage('Thank you: your feedback is in.') }];
      },

      async [DECLINE_FORM](interaction, ctx) {
        const { request } = await asReviewer(ctx, interaction.state.requestId);
        const reason = boundedText(interaction.values.reason, LIMITS.reason, 'reason');
        if (!reason) throw new Invalid('Say why, briefly.', 'reason');
        const { closed } = await queries.decline(ctx.org.id, request.id, ctx.actor.id, reason, clock.now());
        await afterResponse(request, closed);
        return [{ type: 'done', message: textMessage('Declined. The person who asked will see your reason.') }];
      },
    },
  };
}
