import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import { isRowId, singleValue, withinLimit } from '../../chat/input';
import type { Interaction } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { Feature, HandlerContext } from '../../chat/feature';
import { suggestKey, textMessage, typed } from '../../chat/ui';
import type { GoalLevel, Person } from '../../db/database';
import { localDate } from '../../schedule/cadence.rules';
import { type Action, POLICY, authorizeOn, can, wholeOrg } from '../people/authorization';
import type { GoalRow, GoalsQueries } from './goals.queries';
import { LEVEL_LABEL, type Measured, STATUS_LABEL, canAlignTo, progressBar, progressOf, shownNumber, statusOf } from './goals.rules';
import {
  ALIGNABLE,
  LIMITS,
  MAX_KEY_RESULTS,
  MAX_WEIGHT,
  NEW_FORM,
  OPEN_NEW,
  OPEN_UPDATE,
  type ShownGoal,
  type TreeNode,
  UPDATE_FORM,
  goalForm,
  goalLabel,
  goalsMessage,
  homeSection,
  treeMessage,
  updateForm,
} from './goals.views';

export interface GoalsDeps {
  queries: GoalsQueries;
  clock: Clock;
}

type Command = Extract<Interaction, { kind: 'command' }>;
type Submission = Extract<Interaction, { kind: 'form_submit' }>;

/** Goals the home shows. */
const HOME_GOALS = 5;
/** Numbers a goal is measured in stay well inside what a double holds exactly. */
const MAX_MAGNITUDE = 1e12;

const LEVELS: GoalLevel[] = ['individual', 'team', 'company'];
const LEVEL_ACTION: Partial<Record<GoalLevel, Action>> = { team: 'goals.create_team', company: 'goals.create_company' };

function text(values: Submission['values'], field: string, max: number, required: boolean, missing: string): string | null {
  const value = String(singleValue(values[field]) ?? '').trim();
  if (!value) {
    if (required) throw new Invalid(missing, field);
    return null;
  }
  return withinLimit(value, max, { field });
}

function number(values: Submission['values'], field: string, missing: string): number {
  const raw = String(singleValue(values[field]) ?? '').trim();
  if (!raw) throw new Invalid(missing, field);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Invalid('Enter a number, like 30 or 12.5.', field);
  if (Math.abs(value) > MAX_MAGNITUDE) throw new Invalid('That number is too large to measure a goal by.', field);
  return value;
}

/** The key results listed in the form, one per line as `what: target`; none when left empty. */
function keyResultsIn(values: Submission['values']): Array<{ title: string; target: number }> {
  const listed = text(values, 'key_results', LIMITS.keyResults, false, '');
  if (!listed) return [];
  const lines = listed
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > MAX_KEY_RESULTS) throw new Invalid(`List at most ${MAX_KEY_RESULTS} key results (this has ${lines.length}).`, 'key_results');
  return lines.map((line, i) => {
    const match = /^(.+?)\s*[:=]\s*([0-9]+(?:[.,][0-9]+)?)\s*$/.exec(line);
    const target = match ? Number(match[2]!.replace(',', '.')) : Number.NaN;
    if (!match || !(target > 0) || target > MAX_MAGNITUDE) {
      throw new Invalid(`Line ${i + 1} needs a target after a colon, like "Sign new customers: 10".`, 'key_results');
    }
    const title = match[1]!.trim();
    if (title.length > LIMITS.keyResult) throw new Invalid(`Line ${i + 1}: keep a key result to ${LIMITS.keyResult} characters.`, 'key_results');
    return { title, target };
  });
}

/**
 * Measurable goals that ladder up: company → team → individual. Anyone sets their own; managers set
 * their team's, HR admins and executives the company's (the authorization policy says who). Progress
 * is updated by hand and kept as history, or rolls up from the goals aligned to a goal.
 */
export function goalsFeature({ queries, clock }: GoalsDeps): Feature {
  const today = (person: Person) => localDate(clock.now(), person.timezone);

  /** May the reader see this goal: public ones anyone in the org; private ones the owner and their managers. */
  async function mayRead(ctx: HandlerContext, goal: Pick<GoalRow, 'owner_id' | 'org_id' | 'visibility'>): Promise<boolean> {
    const action: Action = goal.visibility === 'private' ? 'goals.read_private' : 'goals.read';
    if (goal.owner_id === ctx.actor.id) return can(ctx.actor, action, { id: goal.owner_id, org_id: goal.org_id, managers: [] });
    return can(ctx.actor, action, { id: goal.owner_id, org_id: goal.org_id, managers: await ctx.managersOf(goal.owner_id) });
  }

  /** Each goal with its progress (rolled up from the goals below it where it rolls up) and status. */
  async function shown(ctx: HandlerContext, goals: GoalRow[]): Promise<ShownGoal[]> {
    const rolling = goals.filter((g) => g.progress_from === 'children').map((g) => g.id);
    const below: Measured[] = await queries.below(ctx.org.id, rolling);
    const progress = progressOf([...goals, ...below]);
    const titles = new Map(goals.map((g) => [g.id, g.title]));
    const parents = await queries.goals(
      ctx.org.id,
      goals.flatMap((g) => (g.parent_id && !titles.has(g.parent_id) ? [g.parent_id] : [])),
    );
    for (const p of parents) if (await mayRead(ctx, p)) titles.set(p.id, p.title);
    const day = today(ctx.actor);
    const keyResults = await queries.keyResults(
      ctx.org.id,
      goals.map((g) => g.id),
    );
    return goals.map((goal) => {
      const p = progress.get(goal.id) ?? 0;
      return {
        goal,
        progress: p,
        status: statusOf(p, goal, day),
        parentTitle: goal.parent_id ? (titles.get(goal.parent_id) ?? 'a private goal') : undefined,
        keyResults: keyResults.filter((k) => k.goal_id === goal.id),
      };
    });
  }

  async function visibleGoalsOf(ctx: HandlerContext, owner: Person): Promise<GoalRow[]> {
    const goals = await queries.ownedBy(ctx.org.id, owner.id);
    const readable = await Promise.all(goals.map((g) => mayRead(ctx, g)));
    return goals.filter((_, i) => readable[i]);
  }

  async function list(ctx: HandlerContext, owner: Person): Promise<Effect[]> {
    const own = owner.id === ctx.actor.id;
    if (!own) await authorizeOn(ctx, 'goals.read', owner);
    const goals = await visibleGoalsOf(ctx, owner);
    const managers = own ? [] : await ctx.managersOf(owner.id);
    const updatable = can(ctx.actor, 'goals.update', { id: owner.id, org_id: owner.org_id, managers });
    return [{ type: 'reply', message: goalsMessage({ ownerId: owner.id, own, goals: await shown(ctx, goals), updatable }) }];
  }

  async function newGoalForm(ctx: HandlerContext, interaction: Interaction): Promise<Effect[]> {
    const levels = LEVELS.filter((level) => {
      const action = LEVEL_ACTION[level];
      return !action || can(ctx.actor, action, wholeOrg(ctx.org.id));
    });
    return [{ type: 'open_form', form: goalForm({ levels, owner: interaction.actor.id }) }];
  }

  /** The goals the reader may update from the update form: their own. */
  async function updatable(ctx: HandlerContext, selected?: GoalRow): Promise<GoalRow[]> {
    const own = await queries.ownedBy(ctx.org.id, ctx.actor.id);
    return selected && !own.some((g) => g.id === selected.id) ? [selected, ...own] : own;
  }

  async function goalToUpdate(ctx: HandlerContext, goalId: string | undefined): Promise<GoalRow> {
    // A choice's value comes back through the platform: only a row id is looked up.
    const goal = goalId && isRowId(goalId) ? await queries.goal(ctx.org.id, goalId) : undefined;
    if (!goal || !(await mayRead(ctx, goal))) throw new NotFound("I couldn't find that goal.");
    await authorizeOn(ctx, 'goals.update', { id: goal.owner_id, org_id: goal.org_id });
    if (goal.progress_from === 'children') throw new Invalid(`“${goal.title}” rolls up from the goals aligned to it: update those instead.`, 'goal');
    return goal;
  }

  async function tree(ctx: HandlerContext): Promise<Effect[]> {
    const mine = await queries.ownedBy(ctx.org.id, ctx.actor.id);
    const all = await queries.withAncestors(
      ctx.org.id,
      mine.map((g) => g.id),
    );
    const withProgress = new Map((await shown(ctx, all)).map((s) => [s.goal.id, s]));
    const readable = new Map(await Promise.all(all.map(async (g) => [g.id, await mayRead(ctx, g)] as const)));
    const nodes = new Map<string, TreeNode>(all.map((g) => [g.id, { shown: withProgress.get(g.id), hidden: !readable.get(g.id), children: [] }]));
    const roots: TreeNode[] = [];
    for (const g of all) {
      const parent = g.parent_id ? nodes.get(g.parent_id) : undefined;
      (parent ? parent.children : roots).push(nodes.get(g.id)!);
    }
    return [{ type: 'reply', message: treeMessage(roots) }];
  }

  return {
    name: 'goals',
    help: ['{typed:goals} your goals and their progress · {typed:goals new} set one · {typed:goals @name} someone’s · {typed:goals tree} how yours ladder up'],
    async home(ctx) {
      const goals = (await queries.ownedBy(ctx.org.id, ctx.actor.id)).slice(0, HOME_GOALS);
      return homeSection(await shown(ctx, goals));
    },
    commands: {
      async goals(interaction: Command, ctx) {
        const [ref] = interaction.mentions;
        if (ref) {
          const [owner] = await ctx.resolvePeople([ref]);
          return list(ctx, owner!);
        }
        if (interaction.text.trim()) {
          throw new Invalid(`I didn't understand that. Try ${typed('goals')}, ${typed('goals new')}, ${typed('goals @name')} or ${typed('goals tree')}.`);
        }
        return list(ctx, ctx.actor);
      },
      'goals new': async (interaction, ctx) => newGoalForm(ctx, interaction),
      'goals tree': async (_interaction, ctx) => tree(ctx),
    },
    suggest: {
      // The alignment search: goals whose title holds what was typed that the person may see (the
      // private ones are their own: those of their reports they align to from the reports' side).
      [suggestKey(NEW_FORM, 'parent')]: async (interaction, ctx) => {
        const found = await queries.alignable(ctx.org.id, [ctx.actor.id], interaction.query.trim().slice(0, LIMITS.title), ALIGNABLE);
        return [{ type: 'suggestions', options: found.map((g) => ({ value: g.id, label: goalLabel(g) })) }];
      },
    },
    actions: {
      [OPEN_NEW]: async (interaction, ctx) => newGoalForm(ctx, interaction),
      async [OPEN_UPDATE](interaction, ctx) {
        const selected = interaction.value ? await goalToUpdate(ctx, interaction.value) : undefined;
        const goals = (await updatable(ctx, selected)).filter((g) => g.progress_from === 'own');
        if (goals.length === 0) throw new NotFound(`You have no goals to update. Set one with ${typed('goals new')}.`);
        const keyResults = await queries.keyResults(
          ctx.org.id,
          goals.map((g) => g.id),
        );
        return [{ type: 'open_form', form: updateForm({ goals, keyResults, selected: selected?.id }) }];
      },
    },
    forms: {
      async [NEW_FORM](interaction, ctx) {
        const { values } = interaction;
        const title = text(values, 'title', LIMITS.title, true, 'Name the goal.')!;
        const why = text(values, 'why', LIMITS.why, false, '');
        const unit = text(values, 'unit', LIMITS.unit, false, '');
        const level = String(singleValue(values.level) ?? '') as GoalLevel;
        if (!LEVELS.includes(level)) throw new Invalid('Choose the level: individual, team or company.', 'level');
        const levelAction = LEVEL_ACTION[level];
        if (levelAction && !can(ctx.actor, levelAction, wholeOrg(ctx.org.id))) throw new Invalid(POLICY[levelAction].refusal, 'level');
        const ownerId = singleValue(values.owner);
        if (!ownerId) throw new Invalid('Choose who owns the goal.', 'owner');
        const [owner] = await ctx.resolvePeople([{ platform: interaction.origin.platform, id: ownerId }]);
        if (owner!.is_bot || !owner!.active) throw new Invalid(`${owner!.display_name} can't own a goal.`, 'owner');
        if (owner!.id !== ctx.actor.id) {
          const managers = await ctx.managersOf(owner!.id);
          if (!can(ctx.actor, 'goals.set_for', { id: owner!.id, org_id: owner!.org_id, managers })) throw new Invalid(POLICY['goals.set_for'].refusal, 'owner');
        }
        const keyResults = keyResultsIn(values);
        const start = keyResults.length > 0 ? 0 : number(values, 'start', 'Say where it starts (often 0).');
        const target = keyResults.length > 0 ? keyResults.length : number(values, 'target', 'Set the target, or list key results.');
        if (target === start) throw new Invalid('The target must differ from the start value.', 'target');
        const due = String(singleValue(values.due) ?? '');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) throw new Invalid('Pick the due date.', 'due');
        const startsOn = today(ctx.actor);
        if (due <= startsOn) throw new Invalid('The due date must be after today.', 'due');
        const visibility = singleValue(values.visibility) === 'private' ? 'private' : 'public';
        const parentChoice = singleValue(values.parent);
        let parent: GoalRow | undefined;
        if (parentChoice) {
          parent = isRowId(parentChoice) ? await queries.goal(ctx.org.id, parentChoice) : undefined;
          if (!parent || !(await mayRead(ctx, parent))) throw new Invalid("I couldn't find that goal to align to.", 'parent');
          if (!canAlignTo(level, parent.level)) {
            throw new Invalid(`A ${level} goal aligns to a goal of its level or above, not to a ${parent.level} goal.`, 'parent');
          }
        }
        const weight = number(values, 'weight', 'Say how much it counts (1 if unsure).');
        if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) throw new Invalid(`Use a whole number from 1 to ${MAX_WEIGHT}.`, 'weight');
        const progressFrom = singleValue(values.progress_from) === 'children' ? 'children' : 'own';
        await queries.create({
          orgId: ctx.org.id,
          ownerId: owner!.id,
          createdBy: ctx.actor.id,
          level,
          title,
          why,
          unit,
          startValue: start,
          targetValue: target,
          startsOn,
          dueOn: due,
          visibility,
          parentId: parent?.id ?? null,
          progressFrom,
          weight,
          keyResults,
          platform: interaction.origin.platform,
          workspaceId: interaction.origin.workspaceId,
          idempotencyKey: `goal:${interaction.origin.platform}:${interaction.idempotencyKey}`,
        });
        const whose = owner!.id === ctx.actor.id ? '' : ` for ${owner!.display_name}`;
        const aligned = parent ? `, aligned to “${parent.title}”` : '';
        return [
          {
            type: 'done',
            message: textMessage(`🎯 Goal set${whose}: **${title}** (${LEVEL_LABEL[level]}, due ${due}${aligned}). Update it from ${typed('goals')}.`),
          },
        ];
      },

      async [UPDATE_FORM](interaction, ctx) {
        // A goal's id, or a goal's and its key result's (`keyResultChoice`).
        const [goalId, keyResultId] = String(singleValue(interaction.values.goal) ?? '').split(':');
        const goal = await goalToUpdate(ctx, goalId);
        const keyResults = await queries.keyResults(ctx.org.id, [goal.id]);
        const keyResult = keyResults.find((k) => k.id === keyResultId);
        if (keyResults.length > 0 && !keyResult) throw new Invalid('Choose which key result moved.', 'goal');
        const value = number(interaction.values, 'value', 'Enter the current value.');
        if (keyResult && value < 0) throw new Invalid(`A key result counts from 0 to ${shownNumber(keyResult.target_value)}.`, 'value');
        const note = text(interaction.values, 'note', LIMITS.note, false, '');
        await queries.update({
          orgId: ctx.org.id,
          goalId: goal.id,
          ...(keyResult ? { keyResultId: keyResult.id } : {}),
          authorId: ctx.actor.id,
          value,
          note,
          at: clock.now(),
          idempotencyKey: `goal-update:${interaction.origin.platform}:${interaction.idempotencyKey}`,
        });
        const [after] = await shown(ctx, [(await queries.goal(ctx.org.id, goal.id)) ?? goal]);
        return [{ type: 'done', message: textMessage(`Updated **${goal.title}**: ${progressBar(after!.progress)} ${STATUS_LABEL[after!.status]}`) }];
      },
    },
  };
}
