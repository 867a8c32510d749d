import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import type { Feature, HandlerContext } from '../../chat/feature';
import { boundedText, isRowId, singleValue } from '../../chat/input';
import type { Platform } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import { type Block, type Form, type FormValues, textMessage, typed } from '../../chat/ui';
import type { CycleAudience, Person, QuestionSet, ReviewPhaseKind } from '../../db/database';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import { localDate } from '../../schedule/cadence.rules';
import { authorize, can, wholeOrg } from '../people/authorization';
import { phaseDone } from './cycle.rules';
import {
  MAX_NAME,
  PARTICIPANT_PHASES,
  PHASES,
  REPEATS,
  TEMPLATES,
  type TemplateName,
  checkedPhases,
  dueFor,
  dueField,
  fromTemplate,
  nextMonday,
  opensField,
  progressOf,
  repeatMonths,
  startingOn,
} from './cycle-plan.rules';
import { loadRun, remindersFor } from './cycles.jobs';
import type { CyclesQueries } from './cycles.queries';
import {
  ASK_360,
  CYCLE_FORM,
  MAX_DEPARTMENTS_TEXT,
  EXTEND_FORM,
  OPEN_EXTEND,
  type ParticipantPhase,
  REMIND_BEHIND,
  SHOW_CYCLE,
  TEMPLATE_ANNUAL,
  TEMPLATE_QUARTERLY,
  TEMPLATE_REPEAT,
  type TaskLine,
  cycleForm,
  cyclesMessage,
  extendForm,
  participantTask,
  progressMessage,
  reviewerTask,
  taskBlocks,
  templatesMessage,
} from './cycles.views';

export interface CyclesDeps {
  queries: CyclesQueries;
  clock: Clock;
  sendRecorded: SendRecorded;
  /** 360° feedback's request form about the actor, tied to their participant (see `requestFormAbout`). */
  feedbackRequestForm(ctx: HandlerContext, platform: Platform, subject: Person, cycle: { participantId: string; due: string }): Promise<Form>;
}

/** Cycles `/review cycle` lists, and previous ones the templates offer to repeat. */
const LISTED = 20;

const notFound = () => new NotFound("I couldn't find that review cycle.");

/**
 * Review cycles: HR admins start one from chat (a template, or a previous cycle), the scheduler
 * opens its phases and nudges people (`cycles.jobs.ts`), everyone sees their tasks in `/review` and
 * the home, HR (and executives, in numbers only) follows its progress.
 */
export function cyclesFeature({ queries, clock, sendRecorded, feedbackRequestForm }: CyclesDeps) {
  const today = (ctx: HandlerContext) => localDate(clock.now(), ctx.actor.timezone);
  const manage = (ctx: HandlerContext) => authorize(ctx.actor, 'review.manage_cycles', wholeOrg(ctx.org.id));

  async function cycleOf(ctx: HandlerContext, cycleId: string | undefined) {
    const cycle = cycleId && isRowId(cycleId) ? await queries.cycle(ctx.org.id, cycleId) : undefined;
    if (!cycle) throw notFound();
    return cycle;
  }

  async function newCycleForm(ctx: HandlerContext, name: string, phases: ReturnType<typeof fromTemplate>, repeat: string): Promise<Effect[]> {
    manage(ctx);
    return [{ type: 'open_form', form: cycleForm({ name, phases, repeat, departments: await queries.departments(ctx.org.id) }) }];
  }

  const fromTemplateForm = (name: TemplateName) => async (_: unknown, ctx: HandlerContext) =>
    newCycleForm(ctx, TEMPLATES[name].label, fromTemplate(name, nextMonday(today(ctx))), TEMPLATES[name].repeat);

  async function progress(ctx: HandlerContext, cycleId: string | undefined): Promise<Effect[]> {
    authorize(ctx.actor, 'review.read_progress', wholeOrg(ctx.org.id));
    const cycle = await cycleOf(ctx, cycleId);
    const participants = await queries.participants(ctx.org.id, cycle.id);
    const counted = progressOf(cycle.phases, participants, today(ctx), phaseDone);
    const message = progressMessage({
      cycleId: cycle.id,
      name: cycle.name,
      closed: cycle.closed_at !== null,
      phases: counted.phases.map((p, i) => ({ ...p, opensOn: cycle.phases[i]!.opens_on, dueOn: cycle.phases[i]!.due_on })),
      ...(counted.current ? { current: counted.current } : {}),
      departments: counted.departments,
      managers: counted.managers,
      canManage: can(ctx.actor, 'review.manage_cycles', wholeOrg(ctx.org.id)),
    });
    return [{ type: 'reply', message }];
  }

  /** What the cycle form says, checked, or Invalid at the field at fault. */
  async function audienceOf(values: FormValues, platform: Platform, ctx: HandlerContext): Promise<CycleAudience> {
    const kind = singleValue(values.audience);
    if (kind === 'everyone') return { kind };
    if (kind === 'departments') {
      const known = await queries.departments(ctx.org.id);
      const named = boundedText(values.departments, MAX_DEPARTMENTS_TEXT, 'departments')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean);
      if (named.length === 0) throw new Invalid('Name at least one department.', 'departments');
      const departments = named.map((d) => {
        const found = known.find((k) => k.toLowerCase() === d.toLowerCase());
        if (!found) throw new Invalid(`Nobody is in “${d}”. The departments are: ${known.join(', ') || 'none yet'}.`.slice(0, 300), 'departments');
        return found;
      });
      return { kind, departments: [...new Set(departments)] };
    }
    if (kind === 'people') {
      const picked = [values.people ?? []].flat();
      if (picked.length === 0) throw new Invalid('Pick the people in it.', 'people');
      const people = await ctx.resolvePeople(picked.map((id) => ({ platform, id })));
      return { kind, personIds: [...new Set(people.filter((p) => p.active && !p.is_bot).map((p) => p.id))] };
    }
    throw new Invalid('Choose who is in it.', 'audience');
  }

  /** The tasks the person has in open cycles, as lines: their own phases open now, and their reports'. */
  async function tasks(ctx: HandlerContext): Promise<TaskLine[]> {
    const { rows, phases, overrides } = await queries.tasksOf(ctx.org.id, ctx.actor.id);
    const day = today(ctx);
    const open = (cycleId: string) => phases.filter((p) => p.cycle_id === cycleId && p.opens_on <= day);
    const mine = rows.filter((r) => r.person_id === ctx.actor.id);
    const own = mine.flatMap((r) =>
      open(r.cycle_id)
        .filter((p): p is typeof p & { kind: ParticipantPhase } => PARTICIPANT_PHASES.includes(p.kind) && !phaseDone(r.state, p.kind))
        .map((p) => participantTask({ cycleName: r.cycle_name, kind: p.kind, dueOn: dueFor(p, r.id, overrides), state: r.state, participantId: r.id })),
    );
    const reports = rows
      .filter((r) => r.reviewer_id === ctx.actor.id && r.person_id !== ctx.actor.id)
      .map((r) =>
        reviewerTask({
          cycleName: r.cycle_name,
          personId: r.person_id,
          name: r.display_name,
          state: r.state,
          participantId: r.id,
          writing: open(r.cycle_id).some((p) => p.kind === 'manager_review') && !phaseDone(r.state, 'manager_review'),
        }),
      );
    return [...own, ...reports];
  }

  const feature: Feature = {
    name: 'reviews',
    help: ['{typed:review cycle} review cycles and their progress (HR) · {typed:review cycle new} start one · {typed:review cycle extend} a later deadline'],
    commands: {
      async 'review cycle'(interaction, ctx) {
        const [, word, ...rest] = interaction.text.trim().toLowerCase().split(/\s+/);
        if (rest.length > 0 || (word && word !== 'new' && word !== 'extend'))
          throw new Invalid(`Try ${typed('review cycle')}, ${typed('review cycle new')} or ${typed('review cycle extend')}.`);
        const cycles = await queries.list(ctx.org.id, LISTED);
        if (word === 'new') {
          manage(ctx);
          return [{ type: 'reply', message: templatesMessage(cycles) }];
        }
        if (word === 'extend') {
          manage(ctx);
          const open = cycles.filter((c) => !c.closed_at);
          if (open.length === 0) throw new Invalid(`No review cycle is running. Start one with ${typed('review cycle new')}.`);
          if (open.length === 1) return openExtend(ctx, open[0]!.id);
        }
        authorize(ctx.actor, 'review.read_progress', wholeOrg(ctx.org.id));
        const listed = cycles.map((c) => ({
          id: c.id,
          name: c.name,
          closed: c.closed_at !== null,
          participants: Number(c.participants),
          signed: Number(c.signed),
        }));
        return [
          {
            type: 'reply',
            message: cyclesMessage(word === 'extend' ? listed.filter((c) => !c.closed) : listed, can(ctx.actor, 'review.manage_cycles', wholeOrg(ctx.org.id))),
          },
        ];
      },
    },
    actions: {
      [TEMPLATE_QUARTERLY]: fromTemplateForm('quarterly'),
      [TEMPLATE_ANNUAL]: fromTemplateForm('annual'),
      async [TEMPLATE_REPEAT](interaction, ctx) {
        manage(ctx);
        const cycle = await cycleOf(ctx, interaction.value);
        const phases = startingOn(
          cycle.phases.map((p) => ({ kind: p.kind, opensOn: p.opens_on, dueOn: p.due_on })),
          nextMonday(today(ctx)),
        );
        const repeat = REPEATS.find((r) => r.months === cycle.repeat_months)?.value ?? 'none';
        return newCycleForm(ctx, cycle.name, phases, repeat);
      },
      [SHOW_CYCLE]: (interaction, ctx) => progress(ctx, interaction.value),
      [OPEN_EXTEND]: (interaction, ctx) => openExtend(ctx, interaction.value),
      async [REMIND_BEHIND](interaction, ctx) {
        manage(ctx);
        const cycle = await cycleOf(ctx, interaction.value);
        if (cycle.closed_at) throw new Invalid('This cycle has closed.');
        const run = await loadRun(queries, { ...cycle, work_start_hour: ctx.org.work_start_hour, work_end_hour: ctx.org.work_end_hour });
        const recorded = await queries.recordReminders(ctx.org.id, remindersFor(run, today(ctx), clock.now()));
        await sendRecorded(ctx.org.id, recorded);
        const text =
          recorded.length > 0
            ? `Reminded ${recorded.length} ${recorded.length === 1 ? 'person' : 'people'} who are behind.`
            : 'Nobody to remind: everyone behind has had today’s reminder, or nobody is behind.';
        return [{ type: 'reply', message: textMessage(text) }];
      },
      async [ASK_360](interaction, ctx) {
        const participant = interaction.value && isRowId(interaction.value) ? await queries.participant(ctx.org.id, interaction.value) : undefined;
        if (!participant || participant.person_id !== ctx.actor.id) throw new NotFound("I couldn't find that review.");
        const phase = (await queries.phases(ctx.org.id, participant.cycle_id)).find((p) => p.kind === 'feedback_360');
        if (!phase || phaseDone(participant.state, 'feedback_360')) throw new Invalid('The 360° feedback of this review is closed.');
        const overrides = await queries.overrides(ctx.org.id, participant.cycle_id);
        const form = await feedbackRequestForm(ctx, interaction.origin.platform, ctx.actor, {
          participantId: participant.id,
          due: dueFor(phase, participant.id, overrides),
        });
        return [{ type: 'open_form', form }];
      },
    },
    forms: {
      async [CYCLE_FORM](interaction, ctx) {
        manage(ctx);
        const { values, origin } = interaction;
        const name = boundedText(values.name, MAX_NAME, 'name');
        if (!name) throw new Invalid('Give the cycle a name.', 'name');
        const audience = await audienceOf(values, origin.platform, ctx);
        const dates = Object.fromEntries(PHASES.flatMap(({ kind }) => [opensField(kind), dueField(kind)]).map((f) => [f, singleValue(values[f])]));
        const phases = checkedPhases(dates, today(ctx));
        const months = repeatMonths(singleValue(values.repeat), singleValue(values.repeat_months));
        if ((await queries.audienceSize(ctx.org.id, audience)) === 0)
          throw new Invalid('Nobody is in it: pick people, or departments with people in them.', audience.kind === 'everyone' ? 'audience' : audience.kind);
        const created = await queries.create({
          orgId: ctx.org.id,
          name,
          audience,
          repeatMonths: months,
          repeatsId: null,
          createdBy: ctx.actor.id,
          idempotencyKey: `review-cycle:${origin.platform}:${interaction.idempotencyKey}`,
          platform: origin.platform,
          workspaceId: origin.workspaceId,
          phases,
        });
        const first = phases[0]!;
        return [
          {
            type: 'done',
            message: textMessage(
              `✅ **${name}** starts ${first.opensOn} with ${created.participants} ${created.participants === 1 ? 'person' : 'people'}. Everyone with a task hears from me as each phase opens. Follow it with ${typed('review cycle')}.`,
            ),
          },
        ];
      },
      async [EXTEND_FORM](interaction, ctx) {
        manage(ctx);
        const cycle = await cycleOf(ctx, interaction.state.cycleId);
        const kind = singleValue(interaction.values.phase);
        const phase = cycle.phases.find((p) => p.kind === kind);
        if (!phase) throw new Invalid('Choose a phase.', 'phase');
        const due = singleValue(interaction.values.due) ?? '';
        if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) throw new Invalid('Pick the new deadline.', 'due');
        if (due < today(ctx)) throw new Invalid('Pick a deadline from today on.', 'due');
        if (due <= phase.opens_on) throw new Invalid(`Pick a day after the phase opens (${phase.opens_on}).`, 'due');
        const picked = singleValue(interaction.values.person);
        if (!picked) {
          await queries.extendPhase(ctx.org.id, cycle.id, phase.kind, due);
          return [
            { type: 'done', message: textMessage(`${cycle.name}: ${phaseName(phase.kind)} is now due ${due} for everyone. Reminders follow the new date.`) },
          ];
        }
        const [person] = await ctx.resolvePeople([{ platform: interaction.origin.platform, id: picked }]);
        const participant = person ? await queries.participantOf(ctx.org.id, cycle.id, person.id) : undefined;
        if (!person || !participant) throw new Invalid(`${person?.display_name ?? 'They'} ${person ? 'is' : 'are'} not in this cycle.`, 'person');
        await queries.extendFor(ctx.org.id, participant.id, phase.kind, due, ctx.actor.id);
        return [
          {
            type: 'done',
            message: textMessage(`${cycle.name}: ${phaseName(phase.kind)} is now due ${due} for ${person.display_name}. Their reminders follow the new date.`),
          },
        ];
      },
    },
  };

  async function openExtend(ctx: HandlerContext, cycleId: string | undefined): Promise<Effect[]> {
    manage(ctx);
    const cycle = await cycleOf(ctx, cycleId);
    if (cycle.closed_at) throw new Invalid('This cycle has closed.');
    return [{ type: 'open_form', form: extendForm({ cycleId: cycle.id, name: cycle.name, phases: cycle.phases }) }];
  }

  return {
    feature,
    /** The person's review cycle tasks as blocks (for `/review` and the home), with at most `buttons` buttons. */
    taskBlocks: async (ctx: HandlerContext, buttons: number): Promise<Block[]> => taskBlocks(await tasks(ctx), buttons),
    /** What the person's self-assessment asks besides goals, strengths and growth: the questions of the cycle whose self-assessment phase opened last for them, if one is open. */
    async selfQuestions(ctx: HandlerContext): Promise<QuestionSet['questions']> {
      const [latest] = await queries.inOpenPhase(ctx.org.id, ctx.actor.id, 'self_assessment', today(ctx));
      return latest?.questions.questions ?? [];
    },
    /**
     * A self-assessment was submitted: it moves the person in each open cycle whose self-assessment
     * phase has opened. Keyed by the submission, so a retried one moves nobody twice.
     */
    async selfSubmitted(ctx: HandlerContext, submissionKey: string): Promise<void> {
      for (const p of await queries.inOpenPhase(ctx.org.id, ctx.actor.id, 'self_assessment', today(ctx))) {
        await queries.move({
          orgId: ctx.org.id,
          participantId: p.id,
          event: 'self_submitted',
          actorId: ctx.actor.id,
          at: clock.now(),
          idempotencyKey: `${submissionKey}:${p.id}`,
        });
      }
    },
  };
}

const phaseName = (kind: ReviewPhaseKind) => PHASES.find((p) => p.kind === kind)!.label.toLowerCase();
