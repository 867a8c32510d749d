import type { Capability, CapabilityDeps } from '../capability';
import { peopleQueries } from '../people/people.queries';
import { adminFeature } from './admin.handlers';

export const admin = ({ db }: CapabilityDeps): Capability => adminFeature(peopleQueries(db));
