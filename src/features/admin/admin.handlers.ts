import { Invalid } from '../../chat/errors';
import type { Feature } from '../../chat/router';
import { orgChartCommand } from '../people/org-chart.handlers';
import type { PeopleQueries } from '../people/people.queries';

const USAGE = 'Try `/hepo org @ana` (the org chart).';

/** `/hepo`: the app's own command, for the org chart and the organization's settings. */
export function adminFeature(people: PeopleQueries): Feature {
  const org = orgChartCommand(people);
  return {
    name: 'admin',
    help: ['`/hepo org @ana manager @ben` the org chart (HR admins change it; anyone can look)'],
    commands: {
      async hepo(interaction, ctx) {
        const [word = ''] = interaction.text.trim().split(/\s+/);
        switch (word.toLowerCase()) {
          case 'org':
            return org(interaction, ctx);
          default:
            throw new Invalid(`I didn't get that. ${USAGE}`);
        }
      },
    },
  };
}
