import type { Capability, CapabilityDeps } from '../capability';
import { goalsFeature } from './goals.handlers';
import { goalsQueries } from './goals.queries';

export const goals = ({ db, clock }: CapabilityDeps): Capability => goalsFeature({ queries: goalsQueries(db), clock });
