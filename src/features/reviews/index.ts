import type { Capability, CapabilityDeps } from '../capability';
import { feedback360Queries } from '../feedback/feedback360.queries';
import { goalsQueries } from '../goals/goals.queries';
import { peopleQueries } from '../people/people.queries';
import { managerReviewFeature } from './manager-review.handlers';
import { managerReviewQueries } from './manager-review.queries';
import { reviewsFeature } from './self-assessment.handlers';
import { selfAssessmentQueries } from './self-assessment.queries';

export const reviews = ({ db, clock, sendRecorded }: CapabilityDeps): Capability =>
  reviewsFeature({ queries: selfAssessmentQueries(db), goals: goalsQueries(db), clock, sendRecorded });

/** The manager's review in a cycle: its words of `/review` (write, share, history, export) and the person's comment and sign-off. */
export const managerReviews = ({ db, clock, sendRecorded }: CapabilityDeps): Capability =>
  managerReviewFeature({
    queries: managerReviewQueries(db),
    goals: goalsQueries(db),
    selfAssessments: selfAssessmentQueries(db),
    feedback360: feedback360Queries(db),
    people: peopleQueries(db),
    clock,
    sendRecorded,
  });
