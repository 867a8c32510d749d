import type { Effect } from '../../chat/effects';
import type { Interaction } from '../../chat/interaction';
import type { Handler, HandlerContext } from '../../chat/feature';
import { authorize, wholeOrg } from '../people/authorization';
import type { SettingsQueries } from './settings.queries';
import { readSettings } from './settings.rules';
import { OPEN_SETTINGS, SETTINGS_FORM, asksChannel, settingsForm, settingsMessage } from './settings.views';

/** `/hepo settings`: the org's values, kudos allowance, recognition channel, default timezone and working hours, for HR admins. */
export function orgSettings(queries: SettingsQueries) {
  async function open(interaction: Interaction, ctx: HandlerContext): Promise<Effect[]> {
    authorize(ctx.actor, 'org.settings', wholeOrg(ctx.org.id));
    return [{ type: 'open_form', form: settingsForm(ctx.org, interaction.origin.platform) }];
  }

  const forms: Record<string, Handler<'form_submit'>> = {
    async [SETTINGS_FORM](interaction, ctx) {
      authorize(ctx.actor, 'org.settings', wholeOrg(ctx.org.id));
      const { platform } = interaction.origin;
      const settings = readSettings(interaction.values, { recognitionChannel: ctx.org.slack_recognition_channel }, asksChannel(platform));
      const saved = await queries.save(ctx.org.id, settings);
      return [{ type: 'done', message: settingsMessage(saved, platform, '✅ Settings saved.') }];
    },
  };

  const actions: Record<string, Handler<'action'>> = { [OPEN_SETTINGS]: open };
  return { command: open, forms, actions };
}
