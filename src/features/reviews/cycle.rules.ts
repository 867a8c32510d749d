import type { ParticipantState, ReviewPhaseKind } from '../../db/database';

/**
 * The state machine of a participant in a review cycle. Pure: the handlers ask it whether a move is
 * allowed before they write the move and its audit row in one transaction.
 *
 *   not_started → self_done → feedback_in → manager_drafted → shared → signed
 *
 * Submitting the self-assessment lands on `feedback_in` when there is no 360° feedback to wait for
 * (no such phase, or it closed first); a 360° that closes before the self-assessment moves nothing.
 * The manager may write the review whatever the person has done by then (a deadline passed is not a
 * reason to have no review), and shares it only once it is submitted. Signing is the end.
 */

export type ParticipantEvent =
  /** The person submitted their self-assessment for this cycle. */
  | 'self_submitted'
  /** The 360° feedback about the person closed (answered, or its due date came). */
  | 'feedback_closed'
  /** The manager submitted the review (after calibration it may be changed, not re-drafted). */
  | 'review_submitted'
  /** The review went to the person. */
  | 'shared'
  /** The person acknowledged it. */
  | 'signed';

export const STATE_ORDER: readonly ParticipantState[] = ['not_started', 'self_done', 'feedback_in', 'manager_drafted', 'shared', 'signed'];

export const STATE_LABEL: Record<ParticipantState, string> = {
  not_started: 'Not started',
  self_done: 'Self-assessment done',
  feedback_in: 'Feedback in',
  manager_drafted: 'Manager review written',
  shared: 'Shared',
  signed: 'Signed off',
};

const rank = (state: ParticipantState) => STATE_ORDER.indexOf(state);

/** What the cycle says about a participant's moves. */
export interface CycleFacts {
  /** The kinds of phases the cycle has. */
  phases: readonly ReviewPhaseKind[];
  /** The participant's 360° feedback of this cycle has closed already. */
  feedbackClosed: boolean;
}

/**
 * The state after `event`: the same state when the event is allowed but moves nothing (a late
 * self-assessment after the manager wrote theirs), undefined when it can't happen (the handler then
 * tells the person why, and writes nothing).
 */
export function nextState(state: ParticipantState, event: ParticipantEvent, cycle: CycleFacts): ParticipantState | undefined {
  switch (event) {
    case 'self_submitted':
      if (state !== 'not_started') return state;
      return cycle.phases.includes('feedback_360') && !cycle.feedbackClosed ? 'self_done' : 'feedback_in';
    case 'feedback_closed':
      return state === 'self_done' ? 'feedback_in' : state;
    case 'review_submitted':
      return rank(state) < rank('manager_drafted') ? 'manager_drafted' : undefined;
    case 'shared':
      return state === 'manager_drafted' ? 'shared' : undefined;
    case 'signed':
      return state === 'shared' ? 'signed' : undefined;
  }
}

/** Whether a participant in `state` still has the task of this phase to do (nudges stop when it's done). */
export function phaseDone(state: ParticipantState, phase: ReviewPhaseKind): boolean {
  switch (phase) {
    case 'self_assessment':
      return rank(state) >= rank('self_done');
    case 'feedback_360':
      return rank(state) >= rank('feedback_in');
    case 'manager_review':
    case 'calibration':
      return rank(state) >= rank('manager_drafted');
    case 'sign_off':
      return state === 'signed';
  }
}
