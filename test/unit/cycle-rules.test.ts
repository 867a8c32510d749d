import { describe, expect, it } from 'vitest';
import type { ParticipantState, ReviewPhaseKind } from '../../src/db/database';
import { type ParticipantEvent, STATE_ORDER, nextState, phaseDone } from '../../src/features/reviews/cycle.rules';

const ALL: ReviewPhaseKind[] = ['self_assessment', 'feedback_360', 'manager_review', 'calibration', 'sign_off'];
const EVENTS: ParticipantEvent[] = ['self_submitted', 'feedback_closed', 'review_submitted', 'shared', 'signed'];

describe('a participant’s moves through a review cycle', () => {
  it('walks the whole way in order', () => {
    const cycle = { phases: ALL, feedbackClosed: false };
    let state: ParticipantState = 'not_started';
    const walked: ParticipantState[] = [state];
    for (const event of EVENTS) {
      state = nextState(state, event, cycle) ?? state;
      walked.push(state);
    }
    expect(walked).toEqual(['not_started', 'self_done', 'feedback_in', 'manager_drafted', 'shared', 'signed']);
  });

  it('has nothing to wait for after the self-assessment without 360° feedback, or when it closed first', () => {
    expect(nextState('not_started', 'self_submitted', { phases: ['self_assessment', 'manager_review', 'sign_off'], feedbackClosed: false })).toBe(
      'feedback_in',
    );
    expect(nextState('not_started', 'self_submitted', { phases: ALL, feedbackClosed: true })).toBe('feedback_in');
    expect(nextState('not_started', 'feedback_closed', { phases: ALL, feedbackClosed: true })).toBe('not_started');
  });

  it('lets the manager write the review whatever the person has done, but share only a written one, and sign only a shared one', () => {
    const cycle = { phases: ALL, feedbackClosed: false };
    for (const state of ['not_started', 'self_done', 'feedback_in'] as const) expect(nextState(state, 'review_submitted', cycle)).toBe('manager_drafted');
    for (const state of ['manager_drafted', 'shared', 'signed'] as const) expect(nextState(state, 'review_submitted', cycle)).toBeUndefined();
    for (const state of STATE_ORDER.filter((s) => s !== 'manager_drafted')) expect(nextState(state, 'shared', cycle)).toBeUndefined();
    for (const state of STATE_ORDER.filter((s) => s !== 'shared')) expect(nextState(state, 'signed', cycle)).toBeUndefined();
  });

  it('never moves anyone backwards', () => {
    for (const feedbackClosed of [false, true])
      for (const state of STATE_ORDER)
        for (const event of EVENTS) {
          const next = nextState(state, event, { phases: ALL, feedbackClosed });
          if (next !== undefined) expect(STATE_ORDER.indexOf(next)).toBeGreaterThanOrEqual(STATE_ORDER.indexOf(state));
        }
  });

  it('says a phase’s task is done once the state is past it', () => {
    expect(phaseDone('not_started', 'self_assessment')).toBe(false);
    expect(phaseDone('self_done', 'self_assessment')).toBe(true);
    expect(phaseDone('self_done', 'feedback_360')).toBe(false);
    expect(phaseDone('feedback_in', 'manager_review')).toBe(false);
    expect(phaseDone('manager_drafted', 'manager_review')).toBe(true);
    expect(phaseDone('shared', 'sign_off')).toBe(false);
    expect(phaseDone('signed', 'sign_off')).toBe(true);
  });
});
