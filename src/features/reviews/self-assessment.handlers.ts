import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import { boundedText, isRowId, singleValue } from '../../chat/input';
import type { Feature, HandlerContext } from '../../chat/feature';
import type { Interaction } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import { type Block, textMessage, typed } from '../../chat/ui';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import { localDate } from '../../schedule/cadence.rules';
import type { QuestionSet } from '../../db/database';
import type { GoalsQueries } from '../goals/goals.queries';
import { questionSetOf } from '../feedback/feedback360.rules';
import { authorizeOn } from '../people/authorization';
import type { SelfAssessmentQueries } from './self-assessment.queries';
import {
  GOALS_ASSESSED,
  LIMITS,
  OPEN_SELF,
  READ_SELF,
  RATINGS,
  SELF_FORM,
  type SelfAssessment,
  competencyField,
  homeSection,
  questionField,
  ratingField,
  reflectionField,
  reviewTasksMessage,
  selfAssessmentForm,
  selfAssessmentMessages,
  submittedNotice,
} from './self-assessment.views';

export interface ReviewsDeps {
  queries: SelfAssessmentQueries;
  goals: Pick<GoalsQueries, 'ownedBy'>;
  clock: Clock;
  /** The manager's notice is recorded already claimed, and sent from this process. */
  sendRecorded: SendRecorded;
  /** Review cycles: the tasks `/review` and the home show, and the move a submission makes there. */
  cycles: {
    taskBlocks(ctx: HandlerContext, buttons: number): Promise<Block[]>;
    selfQuestions(ctx: HandlerContext): Promise<QuestionSet['questions']>;
    selfSubmitted(ctx: HandlerContext, submissionKey: string): Promise<void>;
  };
}

/** Buttons review cycle tasks may take: a message has six, the self-assessment's is one. */
const CYCLE_BUTTONS = { reply: 5, home: 2 };

type Submission = Extract<Interaction, { kind: 'form_submit' }>;

/** Goals a self-assessment covers: the person's, due within the last year or later. */
const ASSESSED_SINCE_DAYS = 365;

const bounded = (values: Submission['values'], field: string, max: number): string | null => boundedText(values[field], max, field) || null;

/** A 1–5 rating field (goals and competencies share the values), null when left out. */
function ratingIn(values: Submission['values'], field: string): number | null {
  const raw = singleValue(values[field]);
  const rating = RATINGS.some((r) => r.value === raw) ? Number(raw) : null;
  if (raw && rating === null) throw new Invalid('Choose a rating from 1 to 5.', field);
  return rating;
}

/**
 * Self-assessment: a person rates each of their goals (1–5, each point with its anchor) and says
 * how it went, then their strengths and growth areas, and answers their open review cycle's own
 * questions. Drafts are kept until submitted; submitting locks it and tells their manager, who may
 * read it (as may their managers up the chart and HR).
 * A review cycle's self-assessment phase opens it; submitting moves the person on in that cycle.
 */
export function reviewsFeature({ queries, goals, clock, sendRecorded, cycles }: ReviewsDeps): Feature {
  const dayOf = (at: Date, ctx: HandlerContext) => localDate(at, ctx.actor.timezone);

  /**
   * The goals to assess (those due first, as many as the form holds; the titles of the rest are `leftOut`), the org's
   * 360° competencies now and the open review cycle's questions, with what the draft says of each.
   */
  async function assessed(ctx: HandlerContext, draft: SelfAssessment | undefined): Promise<{ assessment: SelfAssessment; leftOut: string[] }> {
    const since = localDate(new Date(clock.now().getTime() - ASSESSED_SINCE_DAYS * 86_400_000), ctx.actor.timezone);
    const [owned, questions] = await Promise.all([goals.ownedBy(ctx.org.id, ctx.actor.id), cycles.selfQuestions(ctx)]);
    const due = owned.filter((g) => g.due_on >= since); // by due date
    const room = questions.length > 0 ? GOALS_ASSESSED.besideQuestions : GOALS_ASSESSED.alone;
    const own = due.slice(0, room);
    const assessment: SelfAssessment = {
      strengths: draft?.strengths ?? null,
      growth: draft?.growth ?? null,
      goals: own.map((g) => {
        const drafted = draft?.goals.find((d) => d.goalId === g.id);
        return { goalId: g.id, title: g.title, rating: drafted?.rating ?? null, reflection: drafted?.reflection ?? null };
      }),
      competencies: questionSetOf(ctx.org).competencies.map((c) => ({
        ...c,
        rating: draft?.competencies.find((d) => d.id === c.id)?.rating ?? null,
      })),
      answers: questions.map((q) => ({ ...q, text: draft?.answers.find((d) => d.id === q.id)?.text ?? null })),
    };
    return { assessment, leftOut: due.slice(room).map((g) => g.title) };
  }

  async function openForm(ctx: HandlerContext): Promise<Effect[]> {
    const [draft, last] = await Promise.all([queries.draft(ctx.org.id, ctx.actor.id), queries.lastSubmitted(ctx.org.id, ctx.actor.id)]);
    const { assessment, leftOut } = await assessed(ctx, draft?.assessment);
    const form = selfAssessmentForm(assessment, {
      leftOut,
      draftSavedOn: draft ? dayOf(draft.updated_at, ctx) : undefined,
      lastSubmittedOn: last ? dayOf(last.submittedAt, ctx) : undefined,
    });
    return [{ type: 'open_form', form }];
  }

  /** What the submission says, checked against the limits (and, unless it is a draft, complete). */
  async function read(interaction: Submission, ctx: HandlerContext): Promise<SelfAssessment> {
    const { values } = interaction;
    const { assessment: base } = await assessed(ctx, undefined);
    const assessment: SelfAssessment = {
      strengths: bounded(values, 'strengths', LIMITS.strengths),
      growth: bounded(values, 'growth', LIMITS.growth),
      goals: base.goals.map((g) => ({
        ...g,
        rating: ratingIn(values, ratingField(g.goalId)),
        reflection: bounded(values, reflectionField(g.goalId), LIMITS.reflection),
      })),
      competencies: base.competencies.map((c) => ({ ...c, rating: ratingIn(values, competencyField(c.id)) })),
      answers: base.answers.map((q) => ({ ...q, text: bounded(values, questionField(q.id), LIMITS.answer) })),
    };
    if (!interaction.draft) {
      const unrated = assessment.goals.find((g) => g.rating === null);
      if (unrated) throw new Invalid(`Rate “${unrated.title}” before you submit (or save a draft).`, ratingField(unrated.goalId));
      if (!assessment.strengths) throw new Invalid('Name at least one strength.', 'strengths');
      if (!assessment.growth) throw new Invalid('Name at least one area to grow in.', 'growth');
    }
    return assessment;
  }

  return {
    name: 'reviews',
    help: ['{typed:review} where your reviews stand · {typed:review self} write your self-assessment (drafts are kept)'],
    async home(ctx) {
      const [draft, tasks] = await Promise.all([queries.draft(ctx.org.id, ctx.actor.id), cycles.taskBlocks(ctx, CYCLE_BUTTONS.home)]);
      return homeSection(draft ? dayOf(draft.updated_at, ctx) : undefined, tasks);
    },
    commands: {
      async review(interaction, ctx) {
        if (interaction.text.trim()) throw new Invalid(`I didn't understand that. Try ${typed('review')} or ${typed('review self')}.`);
        const [draft, last, tasks] = await Promise.all([
          queries.draft(ctx.org.id, ctx.actor.id),
          queries.lastSubmitted(ctx.org.id, ctx.actor.id),
          cycles.taskBlocks(ctx, CYCLE_BUTTONS.reply),
        ]);
        return [
          {
            type: 'reply',
            message: reviewTasksMessage({
              draftSavedOn: draft ? dayOf(draft.updated_at, ctx) : undefined,
              lastSubmittedOn: last ? dayOf(last.submittedAt, ctx) : undefined,
              cycleTasks: tasks,
            }),
          },
        ];
      },
      'review self': async (_interaction, ctx) => openForm(ctx),
    },
    actions: {
      [OPEN_SELF]: async (_interaction, ctx) => openForm(ctx),
      async [READ_SELF](interaction, ctx) {
        const found = interaction.value && isRowId(interaction.value) ? await queries.byId(ctx.org.id, interaction.value) : undefined;
        if (!found?.submitted_at) throw new NotFound("I couldn't find that self-assessment.");
        await authorizeOn(ctx, 'review.read_self_assessment', { id: found.person_id, org_id: found.org_id });
        const read = { personId: found.person_id, submittedOn: dayOf(found.submitted_at, ctx), assessment: found.assessment };
        return selfAssessmentMessages(read).map((message): Effect => ({ type: 'reply', message }));
      },
    },
    forms: {
      async [SELF_FORM](interaction, ctx) {
        await authorizeOn(ctx, 'review.self_assess', ctx.actor);
        const assessment = await read(interaction, ctx);
        const saved = {
          orgId: ctx.org.id,
          personId: ctx.actor.id,
          platform: interaction.origin.platform,
          workspaceId: interaction.origin.workspaceId,
          at: clock.now(),
          assessment,
        };
        if (interaction.draft) {
          await queries.saveDraft(saved);
          return [{ type: 'done', message: textMessage(`Draft saved. Pick it up any time with ${typed('review self')}.`) }];
        }
        const managerId = ctx.actor.manager_id;
        const submissionKey = `self-assessment:${interaction.origin.platform}:${interaction.idempotencyKey}`;
        const submitted = await queries.submit(saved, submissionKey, (assessmentId) =>
          managerId
            ? {
                dedupeKey: `self-assessment:${assessmentId}`,
                platform: interaction.origin.platform,
                target: { kind: 'person', workspaceId: interaction.origin.workspaceId, personId: managerId },
                message: submittedNotice({ personId: ctx.actor.id, assessmentId }),
              }
            : undefined,
        );
        if (submitted) await sendRecorded(ctx.org.id, submitted.recorded);
        // After a retry too: the first delivery may have locked it and stopped before the move.
        await cycles.selfSubmitted(ctx, submissionKey);
        const told = managerId ? ' Your manager has it now.' : '';
        return [{ type: 'done', message: textMessage(`📝 Self-assessment submitted and locked.${told}`) }];
      },
    },
  };
}
