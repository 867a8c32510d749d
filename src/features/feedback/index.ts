import type { Capability, CapabilityDeps } from '../capability';
import { peopleQueries } from '../people/people.queries';
import { selfAssessmentQueries } from '../reviews/self-assessment.queries';
import { feedback360Feature, feedback360TickJob } from './feedback360.handlers';
import { feedback360Queries } from './feedback360.queries';
import { feedbackFeature } from './feedback.handlers';
import { feedbackQueries } from './feedback.queries';

export const feedback = ({ db, clock, sendRecorded }: CapabilityDeps): Capability => feedbackFeature({ queries: feedbackQueries(db, clock), sendRecorded });

/** 360° feedback: its own capability in the feedback folder, owning the `feedback 360` word of `/feedback`. */
export const feedback360 = ({ db, clock, enqueue, sendRecorded }: CapabilityDeps): Capability => {
  const deps = { queries: feedback360Queries(db), people: peopleQueries(db), selfAssessments: selfAssessmentQueries(db), clock, enqueue, sendRecorded };
  return { ...feedback360Feature(deps), jobs: [feedback360TickJob(deps)] };
};
