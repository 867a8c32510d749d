import dayjs from 'dayjs';
import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import { boundedText, isRowId, singleValue } from '../../chat/input';
import type { Feature, HandlerContext, Of } from '../../chat/feature';
import type { Origin } from '../../chat/interaction';
import type { Clock, OutgoingNotification } from '../../chat/ports';
import { type Message, textMessage, typed } from '../../chat/ui';
import type { Person, QuestionSet } from '../../db/database';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import { localDate } from '../../schedule/cadence.rules';
import type { Feedback360Queries } from '../feedback/feedback360.queries';
import { reportMessages } from '../feedback/feedback360.handlers';
import type { GoalsQueries } from '../goals/goals.queries';
import { STATUS_LABEL, progressBar, progressOf, statusOf } from '../goals/goals.rules';
import { type Action, authorizeOn, can } from '../people/authorization';
import type { PeopleQueries } from '../people/people.queries';
import { reviewMarkdown, reviewPdf } from './manager-review.export';
import type { ManagerReviewQueries, Snapshot, Written } from './manager-review.queries';
import {
  COMMENT,
  COMMENT_FORM,
  CONTEXT_ROOM,
  type ContextSummary,
  LIMITS,
  POTENTIAL,
  REVIEW_FORM,
  REVIEW_RATINGS,
  type ReviewDocument,
  SHARE,
  SIGN,
  type ShownReview,
  WRITE,
  answerField,
  commentForm,
  competencyField,
  contextMessage,
  historyMessage,
  reviewForm,
  reviewMessages,
  signOffBlocks,
  signedNotice,
  submittedMessage,
} from './manager-review.views';
import type { SelfAssessmentQueries } from './self-assessment.queries';
import { selfAssessmentMessages } from './self-assessment.views';

export interface ManagerReviewDeps {
  queries: ManagerReviewQueries;
  goals: Pick<GoalsQueries, 'ownedBy' | 'below'>;
  selfAssessments: Pick<SelfAssessmentQueries, 'byId' | 'lastSubmitted' | 'latestCompetencyRatings'>;
  feedback360: Pick<Feedback360Queries, 'request' | 'answers' | 'reviewers'>;
  people: Pick<PeopleQueries, 'person'>;
  clock: Clock;
  /** Messages to the person and the manager are recorded with the change, and sent from this process. */
  sendRecorded: SendRecorded;
}

type Participant = NonNullable<Awaited<ReturnType<ManagerReviewQueries['participant']>>>;

/** How far back a review looks when its cycle doesn't repeat: a year. */
const DEFAULT_PERIOD_MONTHS = 12;
const NO_QUESTIONS: QuestionSet = { competencies: [], questions: [] };
const EMPTY: ReviewDocument = { overall: null, potential: null, ratings: {}, answers: {}, narrative: null };

const choiceOf = (raw: string | undefined, options: ReadonlyArray<{ value: string }>, field: string, problem: string): number | null => {
  if (!raw) return null;
  if (!options.some((o) => o.value === raw)) throw new Invalid(problem, field);
  return Number(raw);
};

/**
 * The manager's review in a cycle: written with the person's context in one place, kept as drafts
 * (each saved version in the trail), submitted (locked for the manager), shared with the person, who
 * may comment and signs off (locked for good); its history and its export, to those the policy allows.
 */
export function managerReviewFeature({ queries, goals, selfAssessments, feedback360, people, clock, sendRecorded }: ManagerReviewDeps): Feature {
  const dayOf = (at: Date, ctx: HandlerContext) => localDate(at, ctx.actor.timezone);

  async function mentioned(interaction: Of<'command'>, ctx: HandlerContext, example: string): Promise<Person> {
    const [ref] = interaction.mentions;
    if (!ref) throw new Invalid(`Mention the person, like ${typed(example)}.`);
    const [person] = await ctx.resolvePeople([ref]);
    return person!;
  }

  /** The participant a button or form names, with the policy's check of the actor on its person. */
  async function participantById(ctx: HandlerContext, id: string | undefined, action: Action): Promise<Participant> {
    const found = id && isRowId(id) ? await queries.participant(ctx.org.id, id) : undefined;
    if (!found) throw new NotFound("I couldn't find that review any more.");
    await authorizeOn(ctx, action, { id: found.person_id, org_id: found.org_id });
    return found;
  }

  async function cycleFacts(p: Participant) {
    const phases = await queries.phases(p.org_id, p.cycle_id);
    const first = phases.map((ph) => ph.opens_on).sort()[0] ?? localDate(clock.now(), 'UTC');
    return {
      questions: phases.find((ph) => ph.kind === 'manager_review')?.questions ?? NO_QUESTIONS,
      hasManagerReview: phases.some((ph) => ph.kind === 'manager_review'),
      calibrationDue: phases.find((ph) => ph.kind === 'calibration')?.due_on,
      periodFrom: dayjs
        .utc(first)
        .subtract(p.repeat_months ?? DEFAULT_PERIOD_MONTHS, 'month')
        .format('YYYY-MM-DD'),
    };
  }

  /** Everything the manager should have in front of them: a summary for the form, the whole as messages. */
  async function context(ctx: HandlerContext, personId: string, periodFrom: string): Promise<{ summary: ContextSummary; messages: Message[] }> {
    const orgId = ctx.org.id;
    const since = new Date(`${periodFrom}T00:00:00Z`);
    const [owned, self, request, checkins, kudos] = await Promise.all([
      goals.ownedBy(orgId, personId),
      selfAssessments.lastSubmitted(orgId, personId),
      queries.feedback360Since(orgId, personId, since),
      queries.checkinsSince(orgId, personId, since),
      queries.kudosSince(orgId, personId, since, CONTEXT_ROOM.kudos),
    ]);
    const inPeriod = owned.filter((g) => g.due_on >= periodFrom);
    const progress = progressOf([
      ...inPeriod,
      ...(await goals.below(
        orgId,
        inPeriod.filter((g) => g.progress_from === 'children').map((g) => g.id),
      )),
    ]);
    const today = dayOf(clock.now(), ctx);
    const shownGoals = inPeriod.map((g) => {
      const p = progress.get(g.id) ?? 0;
      return { title: g.title, progress: progressBar(p), status: statusOf(p, g, today) };
    });
    const moods = checkins.moods.map((m) => (Number(m.value) / Number(m.options?.[0] ?? 5)) * 5).filter(Number.isFinite);
    const messages: Message[] = [];
    let selfAssessmentOn: string | undefined;
    if (self && self.submittedAt >= since) {
      const found = await selfAssessments.byId(orgId, self.id);
      if (found?.submitted_at) {
        selfAssessmentOn = dayOf(found.submitted_at, ctx);
        messages.push(...selfAssessmentMessages({ personId, submittedOn: selfAssessmentOn, assessment: found.assessment }));
      }
    }
    let feedback: ContextSummary['feedback360'];
    const subject = { id: personId, org_id: orgId, managers: await ctx.managersOf(personId) };
    if (request?.closed_at && can(ctx.actor, 'feedback360.read_report', subject)) {
      const full = await feedback360.request(orgId, request.id);
      if (full) {
        messages.push(...(await reportMessages({ queries: feedback360, selfAssessments }, full, (at) => dayOf(at, ctx))));
        feedback = { answers: Number(request.answers ?? 0), closedOn: dayOf(request.closed_at, ctx) };
      }
    }
    const count = (status: string) => shownGoals.filter((g) => g.status === status).length;
    const summary: ContextSummary = {
      periodFrom,
      goals: { count: shownGoals.length, done: count('done'), onTrack: count('on_track'), atRisk: count('at_risk'), behind: count('behind') },
      ...(selfAssessmentOn ? { selfAssessmentOn } : {}),
      ...(feedback ? { feedback360: feedback } : {}),
      checkins: { asked: checkins.asked, answered: checkins.answered, ...(moods.length > 0 ? { mood: moods.reduce((a, b) => a + b, 0) / moods.length } : {}) },
      kudos: kudos.count,
    };
    const first = contextMessage({
      personId,
      summary,
      goals: shownGoals.map((g) => ({ ...g, status: STATUS_LABEL[g.status] })),
      kudos: kudos.latest.map((k) => ({ giverId: k.giver_id, message: k.message, on: dayOf(k.created_at, ctx) })),
    });
    return { summary, messages: [first, ...messages] };
  }

  /**
   * The review's form, its context beside it as DMs to the manager: messages that stay (an ephemeral
   * one goes when Slack reloads), more than a Slack response_url takes (five). Sent the first time the
   * form opens, once per review: each opening sending them again would bury the chat (and its pace).
   */
  async function openForm(ctx: HandlerContext, p: Participant, origin: Origin): Promise<Effect[]> {
    const facts = await cycleFacts(p);
    if (!facts.hasManagerReview) throw new NotFound(`${p.cycle_name} has no manager review.`);
    const review = await queries.review(p.org_id, p.id);
    if (review?.submitted_at) {
      const share = p.state === 'manager_drafted' ? ` Share it with them: ${typed('review share @name')}.` : '';
      return [{ type: 'reply', message: textMessage(`You submitted this review on ${dayOf(review.submitted_at, ctx)}; it is locked.${share}`) }];
    }
    const { summary, messages } = await context(ctx, p.person_id, facts.periodFrom);
    const form = reviewForm({
      participantId: p.id,
      cycleName: p.cycle_name,
      questions: facts.questions,
      document: review ? documentOf(review) : EMPTY,
      context: summary,
      ...(review ? { draft: { version: review.version, savedOn: dayOf(review.updated_at, ctx) } } : {}),
    });
    const notices = messages.map((message, i) => toPerson(origin, ctx.actor.id, `review-context:${p.id}:${ctx.actor.id}:${i}`, message));
    await sendRecorded(ctx.org.id, await queries.record(ctx.org.id, notices));
    return [{ type: 'open_form', form }];
  }

  /** What the form says, within its limits; complete unless it is a draft. */
  function read(interaction: Of<'form_submit'>, questions: QuestionSet): ReviewDocument {
    const { values } = interaction;
    const rating = (field: string) => choiceOf(singleValue(values[field]), REVIEW_RATINGS, field, 'Choose a rating from 1 to 5.');
    const doc: ReviewDocument = {
      overall: rating('overall'),
      potential: choiceOf(singleValue(values.potential), POTENTIAL, 'potential', 'Choose low, medium or high.'),
      ratings: {},
      answers: {},
      narrative: boundedText(values.narrative, LIMITS.narrative, 'narrative') || null,
    };
    for (const c of questions.competencies) {
      const value = rating(competencyField(c.id));
      if (value !== null) doc.ratings[c.id] = value;
    }
    for (const q of questions.questions) {
      const answer = boundedText(values[answerField(q.id)], LIMITS.answer, answerField(q.id));
      if (answer) doc.answers[q.id] = answer;
    }
    if (!interaction.draft) {
      if (doc.overall === null) throw new Invalid('Choose an overall rating before you submit (or save a draft).', 'overall');
      const unrated = questions.competencies.find((c) => doc.ratings[c.id] === undefined);
      if (unrated) throw new Invalid(`Rate “${unrated.label}” before you submit.`, competencyField(unrated.id));
      if (!doc.narrative) throw new Invalid('Write a summary of the period before you submit.', 'narrative');
      if (doc.potential === null) throw new Invalid('Choose their potential before you submit.', 'potential');
    }
    return doc;
  }

  const change = (ctx: HandlerContext, p: Participant, what: string, origin: Origin, key: string) => ({
    orgId: ctx.org.id,
    participantId: p.id,
    actorId: ctx.actor.id,
    at: clock.now(),
    key: `${what}:${origin.platform}:${key}`,
  });

  const toPerson = (origin: Origin, personId: string, dedupeKey: string, message: Message): OutgoingNotification => ({
    dedupeKey,
    platform: origin.platform,
    target: { kind: 'person', workspaceId: origin.workspaceId, personId },
    message,
  });

  /** A review as `reader` sees it: potential only for managers and HR, never for the person. */
  async function shown(p: Participant, readerId: string, ctx: HandlerContext): Promise<ShownReview> {
    const [review, facts, person] = await Promise.all([queries.review(p.org_id, p.id), cycleFacts(p), people.person(p.org_id, p.person_id)]);
    if (!review) throw new NotFound("I couldn't find that review any more.");
    return {
      participantId: p.id,
      personId: p.person_id,
      managerId: p.reviewer_id ?? person?.manager_id ?? null,
      cycleName: p.cycle_name,
      questions: facts.questions,
      document: documentOf(review),
      rating: review.calibrated_rating ?? review.overall_rating,
      calibrated: review.calibrated_rating !== null,
      ...(review.submitted_at ? { submittedOn: dayOf(review.submitted_at, ctx) } : {}),
      comment: review.employee_comment,
      ...(review.signed_at ? { signedOn: dayOf(review.signed_at, ctx) } : {}),
      showPotential: readerId !== p.person_id,
    };
  }

  async function share(ctx: HandlerContext, p: Participant, origin: Origin, key: string): Promise<Effect[]> {
    const person = await people.person(p.org_id, p.person_id);
    const name = person?.display_name ?? 'them';
    if (p.state === 'shared' || p.state === 'signed') return [{ type: 'reply', message: textMessage(`You shared it with ${name} already.`) }];
    if (p.state !== 'manager_drafted') throw new Invalid(`Submit the review first: ${typed('review write @name')}.`);
    const { calibrationDue } = await cycleFacts(p);
    if (calibrationDue && dayOf(clock.now(), ctx) <= calibrationDue) {
      const from = dayjs.utc(calibrationDue).add(1, 'day').format('YYYY-MM-DD');
      return [
        {
          type: 'reply',
          message: textMessage(
            `Calibration runs until ${calibrationDue}, and ratings may still change in it. You can share ${name}'s review from ${from}; it stays as it is until then.`,
          ),
        },
      ];
    }
    const review = await shown(p, p.person_id, ctx);
    const notices = reviewMessages(review, signOffBlocks(p.id)).map((message, i) => toPerson(origin, p.person_id, `review-shared:${p.id}:${i}`, message));
    const written = await queries.share(change(ctx, p, 'review-share', origin, key), notices);
    if (written.kind === 'written') await sendRecorded(ctx.org.id, written.recorded);
    if (written.kind === 'locked') return [{ type: 'reply', message: textMessage(`You shared it with ${name} already.`) }];
    return [{ type: 'reply', message: textMessage(`📤 Shared with ${name}. They can add a comment, and sign off to say they've read it.`) }];
  }

  async function history(ctx: HandlerContext, person: Person): Promise<Effect[]> {
    await authorizeOn(ctx, 'review.read', person);
    const p = await queries.latestOf(ctx.org.id, person.id);
    if (!p) throw new NotFound(`${person.display_name} has no review yet.`);
    const trail = await queries.trail(ctx.org.id, p.id);
    const at = (d: Date) => dayjs(d).tz(ctx.actor.timezone).format('YYYY-MM-DD HH:mm');
    const message = historyMessage({
      personId: person.id,
      cycleName: p.cycle_name,
      trail: trail.map((e) => {
        const snapshot = e.snapshot as Partial<Snapshot> | null;
        return {
          at: at(e.at),
          actorId: e.actor_id,
          kind: e.kind,
          ...(snapshot?.version ? { version: snapshot.version, rating: snapshot.overall ?? null } : {}),
        };
      }),
    });
    return [{ type: 'reply', message }];
  }

  async function exported(ctx: HandlerContext, person: Person): Promise<Effect[]> {
    await authorizeOn(ctx, 'review.export', person);
    const p = await queries.finishedOf(ctx.org.id, person.id);
    if (!p) throw new NotFound(`${person.display_name} has no review shared with them yet, so there is nothing to export.`);
    const review = await shown(p, ctx.actor.id, ctx);
    const manager = review.managerId ? await people.person(ctx.org.id, review.managerId) : undefined;
    const row = await queries.review(ctx.org.id, p.id);
    const file = {
      personName: person.display_name,
      managerName: manager?.display_name ?? null,
      cycleName: p.cycle_name,
      questions: review.questions,
      document: review.document,
      rating: review.rating,
      calibrated: review.calibrated,
      submittedOn: review.submittedOn ?? null,
      sharedOn: row?.shared_at ? dayOf(row.shared_at, ctx) : null,
      comment: review.comment,
      signedOn: review.signedOn ?? null,
      showPotential: review.showPotential,
    };
    const base = `review-${slug(person.display_name)}-${slug(p.cycle_name)}`;
    return [
      {
        type: 'files',
        message: textMessage(`📄 ${p.cycle_name}: the review of ${person.display_name}, as PDF and Markdown.`),
        files: [
          { name: `${base}.pdf`, mimeType: 'application/pdf', content: await reviewPdf(file, clock.now()) },
          { name: `${base}.md`, mimeType: 'text/markdown', content: Buffer.from(reviewMarkdown(file)) },
        ],
      },
    ];
  }

  /** What the person's sign-off or comment meets when the review isn't shared with them (any more). */
  const notOpen = (p: Participant): Effect[] => [
    {
      type: 'reply',
      message: textMessage(p.state === 'signed' ? 'You signed this review off; it is locked now.' : 'This review hasn’t been shared with you yet.'),
    },
  ];

  const refusedWrite = (written: Written): Effect[] => [
    {
      type: 'done',
      message: textMessage(written.kind === 'locked' ? 'This review is submitted and locked: nothing changed.' : "I couldn't find that review any more."),
    },
  ];

  return {
    name: 'manager-reviews',
    help: [
      '{typed:review write @name} write the review of someone you manage (drafts are kept) · {typed:review share @name} share it with them',
      '{typed:review history @name} who did what to a review, when · {typed:review export @name} a finished review as PDF and Markdown',
    ],
    commands: {
      'review write': async (interaction, ctx) => {
        const person = await mentioned(interaction, ctx, 'review write @name');
        await authorizeOn(ctx, 'review.write', person);
        const p = await queries.currentOf(ctx.org.id, person.id);
        if (!p) throw new NotFound(`${person.display_name} isn't in an open review cycle.`);
        return openForm(ctx, p, interaction.origin);
      },
      'review share': async (interaction, ctx) => {
        const person = await mentioned(interaction, ctx, 'review share @name');
        await authorizeOn(ctx, 'review.write', person);
        const p = await queries.currentOf(ctx.org.id, person.id);
        if (!p) throw new NotFound(`${person.display_name} isn't in an open review cycle.`);
        return share(ctx, p, interaction.origin, interaction.idempotencyKey);
      },
      'review history': async (interaction, ctx) => history(ctx, await mentioned(interaction, ctx, 'review history @name')),
      'review export': async (interaction, ctx) => exported(ctx, await mentioned(interaction, ctx, 'review export @name')),
    },
    actions: {
      [WRITE]: async (interaction, ctx) => openForm(ctx, await participantById(ctx, interaction.value, 'review.write'), interaction.origin),
      [SHARE]: async (interaction, ctx) =>
        share(ctx, await participantById(ctx, interaction.value, 'review.write'), interaction.origin, interaction.idempotencyKey),
      [COMMENT]: async (interaction, ctx) => {
        const p = await participantById(ctx, interaction.value, 'review.sign');
        if (p.state !== 'shared') return notOpen(p);
        const review = await queries.review(p.org_id, p.id);
        return [{ type: 'open_form', form: commentForm(p.id, review?.employee_comment ?? null) }];
      },
      [SIGN]: async (interaction, ctx) => {
        const p = await participantById(ctx, interaction.value, 'review.sign');
        if (p.state !== 'shared') return notOpen(p);
        const review = await queries.review(p.org_id, p.id);
        const managerId = p.reviewer_id ?? ctx.actor.manager_id;
        const notice = signedNotice({ personId: p.person_id, cycleName: p.cycle_name, commented: Boolean(review?.employee_comment) });
        const notices = managerId ? [toPerson(interaction.origin, managerId, `review-signed:${p.id}`, notice)] : [];
        const written = await queries.sign(change(ctx, p, 'review-sign', interaction.origin, interaction.idempotencyKey), notices);
        if (written.kind === 'written') await sendRecorded(ctx.org.id, written.recorded);
        if (written.kind === 'locked') return notOpen({ ...p, state: written.state });
        return [
          {
            type: 'reply',
            message: textMessage(`✍️ Signed off: you've said you read it. It is locked now${managerId ? ', and your manager knows' : ''}.`),
          },
        ];
      },
    },
    forms: {
      async [REVIEW_FORM](interaction, ctx) {
        const p = await participantById(ctx, interaction.state.participant, 'review.write');
        const { questions, calibrationDue } = await cycleFacts(p);
        const doc = read(interaction, questions);
        const origin = interaction.origin;
        if (interaction.draft) {
          const written = await queries.saveDraft(change(ctx, p, 'review-draft', origin, interaction.idempotencyKey), doc);
          if (written.kind === 'locked' || written.kind === 'not_found') return refusedWrite(written);
          const version = written.kind === 'written' ? ` (version ${written.version})` : '';
          return [{ type: 'done', message: textMessage(`Draft saved${version}. Pick it up any time with ${typed('review write @name')}.`) }];
        }
        const waitsFor = calibrationDue && dayOf(clock.now(), ctx) <= calibrationDue ? calibrationDue : undefined;
        const notice = toPerson(
          origin,
          ctx.actor.id,
          `review-submitted:${p.id}`,
          submittedMessage({ participantId: p.id, personId: p.person_id, cycleName: p.cycle_name, ...(waitsFor ? { waitsFor } : {}) }),
        );
        const written = await queries.submit(change(ctx, p, 'review-submit', origin, interaction.idempotencyKey), doc, notice);
        if (written.kind === 'locked' || written.kind === 'not_found') return refusedWrite(written);
        if (written.kind === 'written') await sendRecorded(ctx.org.id, written.recorded);
        return [{ type: 'done', message: textMessage('⭐ Review submitted and locked. I sent you a message to share it with them when you are ready.') }];
      },
      async [COMMENT_FORM](interaction, ctx) {
        const p = await participantById(ctx, interaction.state.participant, 'review.sign');
        const comment = boundedText(interaction.values.comment, LIMITS.comment, 'comment');
        if (!comment) throw new Invalid('Write your comment, or close this to leave none.', 'comment');
        const written = await queries.comment(change(ctx, p, 'review-comment', interaction.origin, interaction.idempotencyKey), comment);
        if (written.kind === 'locked') return notOpen({ ...p, state: written.state }).map((e) => ({ ...e, type: 'done' }) as Effect);
        return [{ type: 'done', message: textMessage('💬 Comment saved with your review. Sign off when you are ready.') }];
      },
    },
  };
}

const documentOf = (r: {
  overall_rating: number | null;
  potential: number | null;
  ratings: Record<string, number>;
  answers: Record<string, string>;
  narrative: string | null;
}): ReviewDocument => ({
  overall: r.overall_rating,
  potential: r.potential,
  ratings: r.ratings,
  answers: r.answers,
  narrative: r.narrative,
});

/** A file name's part: letters and digits, the rest as dashes. */
const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[^\w]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40) || 'review';
