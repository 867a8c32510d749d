import type { Capability, CapabilityDeps } from '../capability';
import { requestFormAbout } from '../feedback/feedback360.handlers';
import { goalsQueries } from '../goals/goals.queries';
import { peopleQueries } from '../people/people.queries';
import { cyclesFeature } from './cycles.handlers';
import { reviewCyclesTickJob } from './cycles.jobs';
import { cyclesQueries } from './cycles.queries';
import { reviewsFeature } from './self-assessment.handlers';
import { selfAssessmentQueries } from './self-assessment.queries';

/** Reviews: the self-assessment and review cycles, one capability owning `/review`. */
export const reviews = ({ db, clock, enqueue, sendRecorded }: CapabilityDeps): Capability => {
  const queries = cyclesQueries(db);
  const people = peopleQueries(db);
  const cycles = cyclesFeature({
    queries,
    clock,
    sendRecorded,
    feedbackRequestForm: (ctx, platform, subject, cycle) => requestFormAbout({ people, clock }, ctx, platform, subject, cycle),
  });
  const self = reviewsFeature({ queries: selfAssessmentQueries(db), goals: goalsQueries(db), clock, sendRecorded, cycles });
  return {
    ...self,
    help: [...self.help, ...cycles.feature.help],
    commands: { ...self.commands, ...cycles.feature.commands },
    actions: { ...self.actions, ...cycles.feature.actions },
    forms: { ...self.forms, ...cycles.feature.forms },
    jobs: [reviewCyclesTickJob({ queries, enqueue, clock })],
  };
};
