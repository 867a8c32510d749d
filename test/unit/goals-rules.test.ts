import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Measured, canAlignTo, expectedProgress, ownProgress, progressBar, progressOf, statusOf } from '../../src/features/goals/goals.rules';

const goal = (id: string, o: Partial<Measured> = {}): Measured => ({
  id,
  parent_id: null,
  start_value: 0,
  target_value: 10,
  current_value: 0,
  progress_from: 'own',
  weight: 1,
  ...o,
});

describe('goal rules', () => {
  it('measures progress from start to target, in either direction, within 0–100%', () => {
    expect(ownProgress({ start_value: 0, target_value: 30, current_value: 15 })).toBe(0.5);
    expect(ownProgress({ start_value: 10, target_value: 4, current_value: 7 })).toBe(0.5);
    expect(ownProgress({ start_value: 0, target_value: 30, current_value: 45 })).toBe(1);
    expect(ownProgress({ start_value: 0, target_value: 30, current_value: -5 })).toBe(0);
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
        fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
        fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
        (start, target, current) => {
          fc.pre(start !== target);
          const p = ownProgress({ start_value: start, target_value: target, current_value: current });
          return p >= 0 && p <= 1;
        },
      ),
    );
  });

  it('rolls a goal up from the goals aligned to it, by weight, through every level', () => {
    const company = goal('company', { progress_from: 'children' });
    const team = goal('team', { parent_id: 'company', progress_from: 'children', weight: 3 });
    const other = goal('other', { parent_id: 'company', current_value: 10 });
    const ana = goal('ana', { parent_id: 'team', current_value: 5 });
    const ben = goal('ben', { parent_id: 'team', current_value: 0, weight: 3 });
    const progress = progressOf([company, team, other, ana, ben]);
    expect(progress.get('team')).toBeCloseTo(0.125);
    expect(progress.get('company')).toBeCloseTo((0.125 * 3 + 1) / 4);
    // Nothing aligned yet: its own value.
    expect(progressOf([goal('lonely', { progress_from: 'children', current_value: 2 })]).get('lonely')).toBeCloseTo(0.2);
  });

  it('says on track, at risk or behind from progress against the time gone', () => {
    const g = { starts_on: '2026-01-01', due_on: '2026-01-11' };
    expect(expectedProgress(g.starts_on, g.due_on, '2026-01-06')).toBe(0.5);
    expect(statusOf(0.45, g, '2026-01-06')).toBe('on_track');
    expect(statusOf(0.3, g, '2026-01-06')).toBe('at_risk');
    expect(statusOf(0.2, g, '2026-01-06')).toBe('behind');
    expect(statusOf(0.99, g, '2026-01-12')).toBe('behind');
    expect(statusOf(1, g, '2026-01-12')).toBe('done');
  });

  it('aligns a goal only to one of its level or above', () => {
    expect(canAlignTo('individual', 'team')).toBe(true);
    expect(canAlignTo('team', 'company')).toBe(true);
    expect(canAlignTo('team', 'team')).toBe(true);
    expect(canAlignTo('company', 'team')).toBe(false);
    expect(canAlignTo('team', 'individual')).toBe(false);
  });

  it('draws ten cells and the percentage', () => {
    expect(progressBar(0)).toBe('▱▱▱▱▱▱▱▱▱▱ 0%');
    expect(progressBar(0.46)).toBe('▰▰▰▰▰▱▱▱▱▱ 46%');
    expect(progressBar(1)).toBe('▰▰▰▰▰▰▰▰▰▰ 100%');
  });
});
