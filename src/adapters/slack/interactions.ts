import type { BlockAction, GlobalShortcut, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import type { Interaction, Origin } from '../../chat/interaction';
import type { FormValues } from '../../chat/ui';

interface Workspace {
  teamId?: string | null;
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean;
}

/** An Enterprise Grid org-wide install is one workspace for us; otherwise each team is. */
export function workspaceIdOf({ teamId, enterpriseId, isEnterpriseInstall }: Workspace): string {
  return (isEnterpriseInstall && enterpriseId ? enterpriseId : teamId) ?? enterpriseId ?? 'unknown';
}

/** Direct messages (D…) and group DMs (G… named mpdm-…) are private: the team doesn't see posts there. */
function isDirect(channelId: string, channelName?: string): boolean {
  return channelId.startsWith('D') || channelName === 'directmessage' || channelName?.startsWith('mpdm-') === true;
}

/**
 * Slack escapes in command text become neutral text; user mentions stay `<@U…>` for the parsers.
 * Special mentions lose their power so a kudos can't ping a whole channel.
 */
export function neutralText(text: string): string {
  return text
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+\|([^>]+)>/g, '$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

export function commandInteraction(command: SlashCommand): Interaction {
  return {
    kind: 'command',
    name: command.command.replace(/^\//, ''),
    text: neutralText(command.text ?? ''),
    origin: {
      platform: 'slack',
      workspaceId: workspaceIdOf({
        teamId: command.team_id,
        enterpriseId: command.enterprise_id,
        isEnterpriseInstall: command.is_enterprise_install === 'true',
      }),
      conversationId: command.channel_id,
      isDirect: isDirect(command.channel_id, command.channel_name),
    },
    actor: { platform: 'slack', id: command.user_id },
    idempotencyKey: command.trigger_id,
  };
}

/** A message of the bot's that an interaction started from (so it can be updated in place). */
export interface SourceMessage {
  channel: string;
  ts: string;
}

/** What a modal carries through Slack: the form's own state, where it was opened, and from which message. */
interface ModalMetadata {
  state: Record<string, string>;
  conversationId: string;
  isDirect: boolean;
  source?: SourceMessage;
}

export function modalMetadata(state: Record<string, string> | undefined, origin: Origin, source?: SourceMessage): string {
  const metadata: ModalMetadata = { state: state ?? {}, conversationId: origin.conversationId, isDirect: origin.isDirect, source };
  return JSON.stringify(metadata);
}

export function modalSource(view: ViewSubmitAction['view']): SourceMessage | undefined {
  return (JSON.parse(view.private_metadata || '{}') as Partial<ModalMetadata>).source;
}

export function buttonSource(body: BlockAction): SourceMessage | undefined {
  const container = body.container as { type?: string; channel_id?: string; message_ts?: string } | undefined;
  return container?.type === 'message' && container.channel_id && container.message_ts
    ? { channel: container.channel_id, ts: container.message_ts }
    : undefined;
}

type StateValue = ViewSubmitAction['view']['state']['values'][string][string];

function valueOf(v: StateValue): string | string[] | undefined {
  switch (v.type) {
    case 'multi_users_select':
      return v.selected_users ?? [];
    case 'users_select':
      return v.selected_user ?? undefined;
    case 'datepicker':
      return v.selected_date ?? undefined;
    case 'static_select':
    case 'radio_buttons':
      return v.selected_option?.value ?? undefined;
    default:
      return v.value ?? undefined;
  }
}

export function formValues(view: ViewSubmitAction['view']): FormValues {
  const values: FormValues = {};
  for (const block of Object.values(view.state.values)) {
    for (const [actionId, state] of Object.entries(block)) values[actionId] = valueOf(state);
  }
  return values;
}

export function viewSubmissionInteraction(body: ViewSubmitAction): Interaction {
  const { view } = body;
  const metadata = JSON.parse(view.private_metadata || '{}') as Partial<ModalMetadata>;
  return {
    kind: 'form_submit',
    formId: view.callback_id,
    values: formValues(view),
    state: metadata.state ?? {},
    origin: {
      platform: 'slack',
      workspaceId: workspaceIdOf({
        teamId: body.team?.id ?? view.team_id,
        enterpriseId: body.enterprise?.id,
        isEnterpriseInstall: body.is_enterprise_install,
      }),
      conversationId: metadata.conversationId ?? body.user.id,
      isDirect: metadata.isDirect ?? true,
    },
    actor: { platform: 'slack', id: body.user.id },
    // A double-clicked submit arrives twice with the same view; a corrected resubmission stored nothing before.
    idempotencyKey: `view:${view.id}`,
  };
}

export function blockActionInteraction(body: BlockAction): Interaction | undefined {
  const action = body.actions[0];
  if (!action || action.type !== 'button') return undefined;
  const channelId = body.channel?.id ?? body.container?.channel_id ?? body.user.id;
  return {
    kind: 'action',
    actionId: action.action_id,
    value: action.value,
    origin: {
      platform: 'slack',
      workspaceId: workspaceIdOf({
        teamId: body.team?.id,
        enterpriseId: body.enterprise?.id,
        isEnterpriseInstall: body.is_enterprise_install,
      }),
      conversationId: channelId,
      isDirect: isDirect(channelId, body.channel?.name),
    },
    actor: { platform: 'slack', id: body.user.id },
    idempotencyKey: `action:${body.trigger_id}`,
  };
}

export function shortcutInteraction(shortcut: GlobalShortcut): Interaction {
  return {
    kind: 'action',
    actionId: shortcut.callback_id,
    origin: {
      platform: 'slack',
      workspaceId: workspaceIdOf({
        teamId: shortcut.team?.id,
        enterpriseId: shortcut.enterprise?.id,
        isEnterpriseInstall: shortcut.is_enterprise_install,
      }),
      // Global shortcuts have no channel: answers go to the person's DM with the bot.
      conversationId: shortcut.user.id,
      isDirect: true,
    },
    actor: { platform: 'slack', id: shortcut.user.id },
    idempotencyKey: `shortcut:${shortcut.trigger_id}`,
  };
}
