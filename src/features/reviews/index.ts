import type { Capability, CapabilityDeps } from '../capability';
import { goalsQueries } from '../goals/goals.queries';
import { peopleQueries } from '../people/people.queries';
import { calibrationFeature } from './calibration.handlers';
import { calibrationQueries } from './calibration.queries';
import { reviewMeetingsFeature } from './meeting.handlers';
import { reviewMeetingTickJob } from './meeting.jobs';
import { meetingQueries } from './meeting.queries';
import { reviewsFeature } from './self-assessment.handlers';
import { selfAssessmentQueries } from './self-assessment.queries';

export const reviews = ({ db, clock, sendRecorded }: CapabilityDeps): Capability =>
  reviewsFeature({ queries: selfAssessmentQueries(db), goals: goalsQueries(db), clock, sendRecorded });

/** Calibration, owning the `review calibrate` word of `/review`. */
export const calibration = ({ db, clock }: CapabilityDeps): Capability => calibrationFeature({ queries: calibrationQueries(db), clock });

/** The review conversation and its reminders, owning the `review meeting` word of `/review`. */
export const reviewMeetings = ({ db, clock, enqueue, sendRecorded }: CapabilityDeps): Capability => {
  const queries = meetingQueries(db);
  return { ...reviewMeetingsFeature({ queries, people: peopleQueries(db), clock, sendRecorded }), jobs: [reviewMeetingTickJob({ queries, enqueue, clock })] };
};
