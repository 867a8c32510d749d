import type { PlatformAdapter, PlatformDeps } from '../platform';

/** Microsoft Teams through botbuilder's CloudAdapter on POST /api/messages. */
export function createTeamsPlatform(deps: PlatformDeps): PlatformAdapter {
  throw new Error(`not written yet ${String(deps)}`);
}
