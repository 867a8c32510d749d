import type { Capability, CapabilityDeps } from '../capability';
import { feedbackFeature } from './feedback.handlers';
import { feedbackQueries } from './feedback.queries';

export const feedback = ({ db, clock, sendRecorded }: CapabilityDeps): Capability => feedbackFeature({ queries: feedbackQueries(db, clock), sendRecorded });
