import type { Capability, CapabilityDeps } from '../capability';
import { recognitionFeature } from './recognition.handlers';
import { recognitionQueries } from './recognition.queries';

export const recognition = ({ db, clock, sendRecorded, limits }: CapabilityDeps): Capability =>
  recognitionFeature({ queries: recognitionQueries(db, clock), clock, sendRecorded, maxRecipients: limits.kudosRecipients });
