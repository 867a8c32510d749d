import type { Clock } from '../../chat/ports';
import type { Enqueue } from '../../jobs/registry';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import type { PeopleQueries } from '../people/people.queries';
import type { CheckinsQueries } from './checkins.queries';

/** What the check-ins' handlers (history, setup, prompts) are built from. */
export interface CheckinsDeps {
  queries: CheckinsQueries;
  /** The people and the org chart: who a person is, their reports, their days away. */
  people: PeopleQueries;
  enqueue: Enqueue;
  clock: Clock;
  /** Replies and welcomes to a team are recorded already claimed, and sent from this process. */
  sendRecorded: SendRecorded;
}
