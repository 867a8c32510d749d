import type { Effect } from '../../chat/effects';
import { Invalid, NotAllowed, NotFound } from '../../chat/errors';
import type { Feature, HandlerContext } from '../../chat/feature';
import { boundedText, isRowId, singleValue } from '../../chat/input';
import type { Clock } from '../../chat/ports';
import { textMessage } from '../../chat/ui';
import { POLICY, authorizeOn, can, wholeOrg } from '../people/authorization';
import type { CalibrationQueries } from './calibration.queries';
import {
  CALIBRATE_FORM,
  type Group,
  MAX_REASON,
  MOVE,
  MOVE_FORM,
  POTENTIALS,
  RATING_OPTIONS,
  calibrateForm,
  calibrationMessage,
  groupName,
  groupValue,
  moveForm,
  movedMessage,
} from './calibration.views';

export interface CalibrationDeps {
  queries: CalibrationQueries;
  clock: Clock;
}

/** Open cycles offered, and groups (a Slack select holds 100 options). */
const CYCLES_OFFERED = 20;
const GROUPS_OFFERED = 100;

/**
 * What the actor may calibrate: HR admins the whole org, by name; a manager the people below them,
 * by name; an executive (progress in numbers) the whole org, counts only.
 */
type Scope = { kind: 'everyone'; names: boolean } | { kind: 'below'; managerId: string };

type Person = Awaited<ReturnType<CalibrationQueries['chart']>>[number];

/** The groups a pool of people falls into: their departments, and the organisation of each manager among them. */
function groupsOf(pool: Person[], own?: { id: string; display_name: string }): Group[] {
  const departments = [...new Set(pool.flatMap((p) => (p.department ? [p.department] : [])))].sort();
  const managerIds = new Set(pool.map((p) => p.manager_id));
  const managers = pool.filter((p) => managerIds.has(p.id)).sort((a, b) => a.display_name.localeCompare(b.display_name));
  return [
    ...(own ? [{ kind: 'manager' as const, personId: own.id, name: own.display_name, own: true }] : []),
    ...departments.map((name) => ({ kind: 'department' as const, name })),
    ...managers.map((p) => ({ kind: 'manager' as const, personId: p.id, name: p.display_name })),
  ].slice(0, GROUPS_OFFERED);
}

/**
 * Calibration, the optional phase before reviews are shared: HR and managers look at how each
 * manager rated a group and at its 9-box grid, and move people (a calibrated rating, a potential)
 * with a reason. Each move is a `calibrated` event in the review's trail, written with the change.
 */
export function calibrationFeature({ queries, clock }: CalibrationDeps): Feature {
  async function scopeOf(ctx: HandlerContext): Promise<{ scope: Scope; pool: Person[] }> {
    if (can(ctx.actor, 'review.calibrate', wholeOrg(ctx.org.id))) return { scope: { kind: 'everyone', names: true }, pool: await queries.chart(ctx.org.id) };
    const below = await queries.chart(ctx.org.id, ctx.actor.id);
    if (below.length > 0) return { scope: { kind: 'below', managerId: ctx.actor.id }, pool: below };
    if (can(ctx.actor, 'review.read_progress', wholeOrg(ctx.org.id)))
      return { scope: { kind: 'everyone', names: false }, pool: await queries.chart(ctx.org.id) };
    throw new NotAllowed(POLICY['review.calibrate'].refusal);
  }

  const groupsFor = (ctx: HandlerContext, scope: Scope, pool: Person[]) => groupsOf(pool, scope.kind === 'below' ? ctx.actor : undefined);

  async function openCycle(ctx: HandlerContext, cycleId: string | undefined, field?: string) {
    const cycle = cycleId && isRowId(cycleId) ? await queries.cycle(ctx.org.id, cycleId) : undefined;
    if (!cycle) throw field ? new Invalid('Choose a cycle from the list.', field) : new NotFound("I couldn't find that review cycle.");
    if (cycle.closed_at) throw new Invalid(`${cycle.name} is closed: its ratings can't change any more.`, field);
    return cycle;
  }

  /** The people of the chosen group, refused when it is not one the actor may see. */
  async function membersOf(ctx: HandlerContext, value: string | undefined, scope: Scope, pool: Person[]): Promise<{ group: Group; people: Person[] }> {
    const group = groupsFor(ctx, scope, pool).find((g) => groupValue(g) === value);
    if (!group) {
      if (value?.startsWith('manager:') || value?.startsWith('department:')) throw new NotAllowed(POLICY['review.calibrate'].refusal);
      throw new Invalid('Choose a group from the list.', 'group');
    }
    if (group.kind === 'department') return { group, people: pool.filter((p) => p.department === group.name) };
    const people = scope.kind === 'below' && group.personId === ctx.actor.id ? pool : await queries.chart(ctx.org.id, group.personId);
    return { group, people };
  }

  const chosen = (raw: string | undefined, options: ReadonlyArray<{ value: string }>, field: string, message: string) => {
    if (raw === undefined || raw === '') return null;
    if (!options.some((o) => o.value === raw)) throw new Invalid(message, field);
    return Number(raw);
  };

  return {
    name: 'calibration',
    help: ['{typed:review calibrate} see how a group was rated (distribution, 9-box) and calibrate it'],
    commands: {
      async 'review calibrate'(_interaction, ctx) {
        const { scope, pool } = await scopeOf(ctx);
        const cycles = await queries.openCycles(ctx.org.id, CYCLES_OFFERED);
        if (cycles.length === 0) return [{ type: 'reply', message: textMessage('No review cycle with a calibration phase is open just now.') }];
        return [{ type: 'open_form', form: calibrateForm(cycles, groupsFor(ctx, scope, pool)) }];
      },
    },
    actions: {
      async [MOVE](interaction, ctx) {
        const cycle = await openCycle(ctx, interaction.value);
        const { scope } = await scopeOf(ctx);
        if (scope.kind === 'everyone' && !scope.names) throw new NotAllowed(POLICY['review.calibrate'].refusal);
        return [{ type: 'open_form', form: moveForm(cycle.id, cycle.name) }];
      },
    },
    forms: {
      async [CALIBRATE_FORM](interaction, ctx): Promise<Effect[]> {
        const { scope, pool } = await scopeOf(ctx);
        const cycle = await openCycle(ctx, singleValue(interaction.values.cycle), 'cycle');
        const { group, people } = await membersOf(ctx, singleValue(interaction.values.group), scope, pool);
        const rows = await queries.reviewed(
          ctx.org.id,
          cycle.id,
          people.map((p) => p.id),
        );
        const names = scope.kind === 'below' || scope.names;
        return [{ type: 'done', message: calibrationMessage({ cycleId: cycle.id, cycleName: cycle.name, groupName: groupName(group), rows, names }) }];
      },

      async [MOVE_FORM](interaction, ctx) {
        const cycle = await openCycle(ctx, interaction.state.cycleId);
        const { values } = interaction;
        const rating = chosen(singleValue(values.rating), RATING_OPTIONS, 'rating', 'Choose a rating from 1 to 5.');
        const potential = chosen(singleValue(values.potential), POTENTIALS, 'potential', 'Choose low, medium or high.');
        const reason = boundedText(values.reason, MAX_REASON, 'reason');
        const userId = singleValue(values.person);
        if (!userId) throw new Invalid('Choose the person to move.', 'person');
        if (rating === null && potential === null) throw new Invalid('Choose a new rating, a new potential, or both.', 'rating');
        if (!reason) throw new Invalid('Say why: the reason is kept with the change, for the person’s managers and HR.', 'reason');
        const [person] = await ctx.resolvePeople([{ platform: interaction.origin.platform, id: userId }]);
        await authorizeOn(ctx, 'review.calibrate', person!);
        const result = await queries.calibrate({
          orgId: ctx.org.id,
          cycleId: cycle.id,
          personId: person!.id,
          actorId: ctx.actor.id,
          rating,
          potential,
          reason,
          at: clock.now(),
          idempotencyKey: `calibrate:${interaction.origin.platform}:${interaction.idempotencyKey}`,
        });
        switch (result.kind) {
          case 'not_in_cycle':
            throw new Invalid(`${person!.display_name} isn't in ${cycle.name}.`, 'person');
          case 'not_calibratable':
            throw new Invalid(
              result.submitted
                ? `${person!.display_name}'s review has been shared already, so it can't be calibrated any more.`
                : `${person!.display_name}'s review isn't submitted yet: only submitted reviews can be calibrated.`,
              'person',
            );
          case 'repeated':
            return [{ type: 'done', message: textMessage('That move is recorded already.') }];
          case 'moved':
            return [{ type: 'done', message: textMessage(movedMessage(person!.id, result.from, result.to)) }];
        }
      },
    },
  };
}
