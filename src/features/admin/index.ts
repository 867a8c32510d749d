import type { Capability, CapabilityDeps } from '../capability';
import { orgImportQueries } from '../people/org-import.queries';
import { orgLinkQueries } from '../people/org-link.queries';
import { peopleQueries } from '../people/people.queries';
import { adminFeature } from './admin.handlers';
import { settingsQueries } from './settings.queries';

export const admin = ({ db, clock, hrAdminEmails, help, sendRecorded }: CapabilityDeps): Capability =>
  adminFeature({
    people: peopleQueries(db),
    settings: settingsQueries(db),
    imports: { queries: orgImportQueries(db), clock, hrAdminEmails },
    links: { queries: orgLinkQueries(db), clock, sendRecorded },
    help,
  });
