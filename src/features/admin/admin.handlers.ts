import type { Effect } from '../../chat/effects';
import { Invalid } from '../../chat/errors';
import type { Interaction, Platform } from '../../chat/interaction';
import type { Feature, HandlerContext } from '../../chat/feature';
import type { Message } from '../../chat/ui';
import { can, wholeOrg } from '../people/authorization';
import { orgChartCommand } from '../people/org-chart.handlers';
import { type OrgImportDeps, orgImport } from '../people/org-import.handlers';
import { type OrgLinkDeps, orgLink } from '../people/org-link.handlers';
import type { PeopleQueries } from '../people/people.queries';
import { orgSettings } from './settings.handlers';
import type { SettingsQueries } from './settings.queries';
import { settingsMessage } from './settings.views';

const USAGE = 'Try {typed:hepo help}, {typed:hepo org @name} (the org chart), {typed:hepo org import}, {typed:hepo settings} or {typed:hepo link}.';

export interface AdminDeps {
  people: PeopleQueries;
  settings: SettingsQueries;
  imports: OrgImportDeps;
  links: OrgLinkDeps;
  /** The router's help: every command of every feature. */
  help(platform: Platform): Message;
}

/** `/hepo`: the app's own command: help, the org chart and its import, and the organization's settings. */
export function adminFeature(deps: AdminDeps): Feature {
  const org = orgChartCommand(deps.people);
  const importer = orgImport(deps.imports);
  const settings = orgSettings(deps.settings);
  const link = orgLink(deps.links);

  /** Every command; HR admins also see the org's settings, with the button that changes them. */
  function help(interaction: Interaction, ctx: HandlerContext): Effect[] {
    const forHr = can(ctx.actor, 'org.settings', wholeOrg(ctx.org.id)) ? settingsMessage(ctx.org, interaction.origin.platform).blocks : [];
    const all = deps.help(interaction.origin.platform);
    return [{ type: 'reply', message: { ...all, blocks: [...all.blocks, ...forHr] } }];
  }

  return {
    name: 'admin',
    help: [
      '{typed:hepo org @name manager @other} the org chart (HR admins change it; anyone can look)',
      '{typed:hepo org import} the whole org chart from a CSV file, with a dry run first (HR admins)',
      '{typed:hepo settings} company values, kudos allowance, recognition channel, default timezone, working hours, and the way to the 360° feedback settings (HR admins)',
      '{typed:hepo link} a one-time code to make your Slack workspace and Teams tenant one organization; {typed:hepo link CODE} sends back the code from the other side (HR admins)',
    ],
    commands: {
      async hepo(interaction, ctx) {
        const [word = '', next = '', ...more] = interaction.text.trim().split(/\s+/);
        switch (word.toLowerCase()) {
          case '':
          case 'help':
            return help(interaction, ctx);
          case 'org':
            return next.toLowerCase() === 'import' ? importer.command(interaction, ctx) : org(interaction, ctx);
          case 'settings':
            return settings.command(interaction, ctx);
          case 'link':
            return link(interaction, ctx, [next, ...more].join(''));
          default:
            throw new Invalid(`I didn't get that. ${USAGE}`);
        }
      },
      // Its own help, not just its usage: every command, and the org's settings for HR admins.
      'hepo help': async (interaction, ctx) => help(interaction, ctx),
    },
    forms: { ...importer.forms, ...settings.forms },
    actions: { ...importer.actions, ...settings.actions },
  };
}
