import type { Capability, CapabilityDeps } from '../capability';
import { goalsFeature } from './goals.handlers';
import { goalsTickJob } from './goals.jobs';
import { goalsQueries } from './goals.queries';

export const goals = ({ db, clock, enqueue }: CapabilityDeps): Capability => {
  const queries = goalsQueries(db);
  return { ...goalsFeature({ queries, clock }), jobs: [goalsTickJob({ queries, enqueue, clock })] };
};
