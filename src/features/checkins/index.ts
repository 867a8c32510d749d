import type { Capability, CapabilityDeps } from '../capability';
import { checkinsFeature } from './checkins.handlers';
import { checkinDigestJob, checkinTickJob } from './checkins.jobs';
import { checkinsQueries } from './checkins.queries';
import { peopleQueries } from '../people/people.queries';

export function checkins({ db, clock, enqueue, sendRecorded }: CapabilityDeps): Capability {
  const queries = checkinsQueries(db, clock);
  return {
    ...checkinsFeature({ queries, people: peopleQueries(db), enqueue, clock, sendRecorded }),
    jobs: [checkinTickJob({ queries, enqueue, clock }), checkinDigestJob({ queries, enqueue, clock })],
  };
}
