import type { PlatformAdapter, PlatformDeps } from '../platform';

/** Microsoft Teams through botbuilder's CloudAdapter on POST /api/messages. (Placeholder until the adapter lands.) */
export function createTeamsPlatform(_deps: PlatformDeps): PlatformAdapter {
  return {
    platform: 'teams',
    routes: [],
    sender: { platform: 'teams', send: async () => { throw new Error('Teams adapter not written yet'); } },
    attach: async () => {},
    close: async () => {},
  };
}
