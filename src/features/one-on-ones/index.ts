import type { Capability, CapabilityDeps } from '../capability';
import { oneOnOnesFeature } from './one-on-ones.handlers';
import { oneOnOneTickJob } from './one-on-ones.jobs';
import { oneOnOneQueries } from './one-on-ones.queries';

export function oneOnOnes({ db, clock, enqueue }: CapabilityDeps): Capability {
  const queries = oneOnOneQueries(db, clock);
  return { ...oneOnOnesFeature({ queries, clock }), jobs: [oneOnOneTickJob({ queries, enqueue, clock })] };
}
