import type { Capability, CapabilityDeps } from '../capability';
import { peopleFeature } from './people.handlers';
import { peopleQueries } from './people.queries';

export const people = ({ db, hrAdminEmails }: CapabilityDeps): Capability => peopleFeature(peopleQueries(db), { hrAdminEmails });
