import type { Capability, CapabilityDeps } from '../capability';
import { goalsQueries } from '../goals/goals.queries';
import { reviewsFeature } from './self-assessment.handlers';
import { selfAssessmentQueries } from './self-assessment.queries';

export const reviews = ({ db, clock, sendRecorded }: CapabilityDeps): Capability =>
  reviewsFeature({ queries: selfAssessmentQueries(db), goals: goalsQueries(db), clock, sendRecorded });
