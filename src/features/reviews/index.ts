import type { Capability, CapabilityDeps } from '../capability';
import { requestFormAbout } from '../feedback/feedback360.handlers';
import { feedback360Queries } from '../feedback/feedback360.queries';
import { goalsQueries } from '../goals/goals.queries';
import { peopleQueries } from '../people/people.queries';
import { calibrationFeature } from './calibration.handlers';
import { calibrationQueries } from './calibration.queries';
import { cyclesFeature } from './cycles.handlers';
import { reviewCyclesTickJob } from './cycles.jobs';
import { cyclesQueries } from './cycles.queries';
import { managerReviewFeature } from './manager-review.handlers';
import { managerReviewQueries } from './manager-review.queries';
import { reviewMeetingsFeature } from './meeting.handlers';
import { reviewMeetingTickJob } from './meeting.jobs';
import { meetingQueries } from './meeting.queries';
import { reviewQuestionsFeature } from './review-questions.handlers';
import { reviewsFeature } from './self-assessment.handlers';
import { selfAssessmentQueries } from './self-assessment.queries';

/** Reviews: the self-assessment, review cycles and their questions, one capability owning `/review`. */
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
  const questions = reviewQuestionsFeature({ queries });
  return {
    ...self,
    help: [...self.help, ...cycles.feature.help, ...questions.help],
    commands: { ...self.commands, ...cycles.feature.commands, ...questions.commands },
    actions: { ...self.actions, ...cycles.feature.actions },
    forms: { ...self.forms, ...cycles.feature.forms, ...questions.forms },
    jobs: [reviewCyclesTickJob({ queries, enqueue, clock })],
  };
};

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

/** Calibration, owning the `review calibrate` word of `/review`. */
export const calibration = ({ db, clock }: CapabilityDeps): Capability => calibrationFeature({ queries: calibrationQueries(db), clock });

/** The review conversation and its reminders, owning the `review meeting` word of `/review`. */
export const reviewMeetings = ({ db, clock, enqueue, sendRecorded }: CapabilityDeps): Capability => {
  const queries = meetingQueries(db);
  return { ...reviewMeetingsFeature({ queries, people: peopleQueries(db), clock, sendRecorded }), jobs: [reviewMeetingTickJob({ queries, enqueue, clock })] };
};
