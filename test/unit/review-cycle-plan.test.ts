import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../support/refusals';
import { phaseDone } from '../../src/features/reviews/cycle.rules';
import {
  TEMPLATES,
  type TemplateName,
  checkedPhases,
  dueField,
  fromTemplate,
  nextMonday,
  opensField,
  progressOf,
  repeatMonths,
  shiftedByMonths,
} from '../../src/features/reviews/cycle-plan.rules';

const asForm = (phases: ReturnType<typeof fromTemplate>) =>
  Object.fromEntries(
    phases.flatMap((p) => [
      [opensField(p.kind), p.opensOn],
      [dueField(p.kind), p.dueOn],
    ]),
  );
describe('review cycle plans', () => {
  it('templates start on the next Monday, each phase due on a Friday, and pass the checks', () => {
    expect(nextMonday('2026-03-04')).toBe('2026-03-09');
    expect(nextMonday('2026-03-09')).toBe('2026-03-16');
    expect(nextMonday('2026-03-08')).toBe('2026-03-09');
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
      const phases = fromTemplate(name, '2026-03-09');
      expect(
        phases.every((p) => dayjs(p.dueOn).day() === 5),
        name,
      ).toBe(true);
      expect(checkedPhases(asForm(phases), '2026-03-04')).toEqual(phases);
    }
    expect(fromTemplate('annual', '2026-03-09').map((p) => p.kind)).toEqual(['self_assessment', 'feedback_360', 'manager_review', 'calibration', 'sign_off']);
  });

  it('refuses a plan at the field at fault', () => {
    const plan = asForm(fromTemplate('annual', '2026-03-09'));
    expect(refusalOf(() => checkedPhases({ ...plan, feedback_360_due: '' }, '2026-03-04'))).toEqual(['feedback_360_due', 'Pick the day 360° feedback is due.']);
    expect(refusalOf(() => checkedPhases({ ...plan, feedback_360_opens: '', feedback_360_due: '' }, '2026-03-04'))).toBeUndefined();
    expect(refusalOf(() => checkedPhases({ ...plan, self_assessment_opens: '' }, '2026-03-04'))?.[0]).toBe('self_assessment_opens');
    expect(refusalOf(() => checkedPhases({ ...plan, manager_review_due: '2026-02-30' }, '2026-03-04'))?.[0]).toBe('manager_review_due');
    expect(refusalOf(() => checkedPhases({ ...plan, calibration_due: '2026-04-01' }, '2026-03-04'))).toEqual([
      'calibration_due',
      'Calibration must be due after it opens (2026-04-13).',
    ]);
    expect(refusalOf(() => checkedPhases({ ...plan, sign_off_due: '2026-04-10' }, '2026-03-04'))?.[0]).toBe('sign_off_due');
    expect(refusalOf(() => checkedPhases(plan, '2026-03-10'))?.[0]).toBe('self_assessment_opens');
  });

  it('reads how often a cycle repeats', () => {
    expect(repeatMonths('none', undefined)).toBeNull();
    expect(repeatMonths('6', undefined)).toBe(6);
    expect(repeatMonths('custom', '9')).toBe(9);
    expect(refusalOf(() => repeatMonths('custom', '0'))?.[0]).toBe('repeat_months');
    expect(refusalOf(() => repeatMonths('weekly', undefined))?.[0]).toBe('repeat');
  });

  it('moves a repeat by whole months', () => {
    expect(shiftedByMonths([{ kind: 'sign_off', opensOn: '2026-01-31', dueOn: '2026-02-13' }], 1)).toEqual([
      { kind: 'sign_off', opensOn: '2026-02-28', dueOn: '2026-03-13' },
    ]);
  });

  it('counts progress per phase, and per department and manager in the phase open now', () => {
    const phases = [
      { kind: 'self_assessment' as const, opens_on: '2026-03-09' },
      { kind: 'manager_review' as const, opens_on: '2026-03-16' },
    ];
    const people = [
      { state: 'feedback_in' as const, department: 'Design', reviewer_id: 'm1' },
      { state: 'not_started' as const, department: 'Design', reviewer_id: 'm1' },
      { state: 'manager_drafted' as const, department: null, reviewer_id: 'm2' },
    ];
    const early = progressOf(phases, people, '2026-03-10', phaseDone);
    expect(early.current).toBe('self_assessment');
    expect(early.phases.map((p) => [p.kind, p.done, p.total])).toEqual([
      ['self_assessment', 2, 3],
      ['manager_review', 1, 3],
    ]);
    expect(early.departments).toEqual([
      { label: 'Design', done: 1, total: 2 },
      { label: 'No department', done: 1, total: 1 },
    ]);
    const later = progressOf(phases, people, '2026-03-16', phaseDone);
    expect(later.managers.map((m) => [m.managerId, m.done, m.total])).toEqual([
      ['m1', 0, 2],
      ['m2', 1, 1],
    ]);
  });
});
