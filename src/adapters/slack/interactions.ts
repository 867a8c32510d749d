import type { BlockAction, EnvelopedEvent, GlobalShortcut, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { type Interaction, mentionList, type Origin, type SentFile, type UserRef } from '../../chat/interaction';
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
 * Slack escapes in command text become neutral text; user mentions (`<@U123>`, `<@U123|name>`)
 * become the interaction's markers, before `&lt;` is decoded, so text typed as `<@U123>` stays text.
 * Special mentions lose their power so a kudos can't ping a whole channel.
 */
export function neutralText(text: string): { text: string; mentions: UserRef[] } {
  const list = mentionList('slack');
  const neutral = text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, userId: string) => list.markerFor(userId))
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^[A-Z0-9]+\|([^>]+)>/g, '$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
  return { text: neutral, mentions: list.mentions };
}

export function commandInteraction(command: SlashCommand): Interaction {
  const channels = [...(command.text ?? '').matchAll(/<#([A-Z0-9]+)\|([^>]*)>/g)].map((m) => ({ id: m[1]!, name: m[2]! }));
  return {
    kind: 'command',
    name: command.command.replace(/^\//, ''),
    ...neutralText(command.text ?? ''),
    ...(channels.length > 0 ? { channels } : {}),
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
  /** Seen by one person only: Slack replaces it through the click's response_url, not chat.update. */
  ephemeral?: boolean;
}

/** A Slack id (channel, message ts) as the bot writes them into a modal: short, no markup. */
const slackId = z.string().regex(/^[\w.-]{1,40}$/);

/**
 * What a modal carries through Slack: the form's own state (ids, checked by the router), where it was
 * opened, and from which message. Slack hands `private_metadata` back as the bot wrote it, up to 3,000
 * characters; anything else is read as changed on the way.
 */
const ModalMetadata = z.object({
  state: z.record(z.string().max(50), z.string().max(100)),
  conversationId: slackId,
  isDirect: z.boolean(),
  source: z.object({ channel: slackId, ts: slackId, ephemeral: z.boolean().optional() }).optional(),
});
type ModalMetadata = z.infer<typeof ModalMetadata>;

export function modalMetadata(state: Record<string, string> | undefined, origin: Origin, source?: SourceMessage): string {
  const metadata: ModalMetadata = { state: state ?? {}, conversationId: origin.conversationId, isDirect: origin.isDirect, source };
  return JSON.stringify(metadata);
}

/** The modal's metadata; `unreadable` when it isn't what the bot wrote (none at all: a modal opened without any). */
function readMetadata(raw: string): Partial<ModalMetadata> | 'unreadable' {
  if (raw === '') return {};
  try {
    const parsed = ModalMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

export function modalSource(view: ViewSubmitAction['view']): SourceMessage | undefined {
  const metadata = readMetadata(view.private_metadata);
  return metadata === 'unreadable' ? undefined : metadata.source;
}

export function buttonSource(body: BlockAction): SourceMessage | undefined {
  const container = body.container as { type?: string; channel_id?: string; message_ts?: string; is_ephemeral?: boolean } | undefined;
  return container?.type === 'message' && container.channel_id && container.message_ts
    ? { channel: container.channel_id, ts: container.message_ts, ...(container.is_ephemeral ? { ephemeral: true } : {}) }
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
    case 'external_select':
    case 'radio_buttons':
      return v.selected_option?.value ?? undefined;
    case 'channels_select':
      return v.selected_channel ?? undefined;
    case 'file_input':
      // The file itself comes with the interaction (`file`), fetched by the listener.
      return undefined;
    default:
      return v.value ?? undefined;
  }
}

/** The file uploaded through the modal's file input, if it has one. */
export function submittedFileId(view: ViewSubmitAction['view']): string | undefined {
  const states = Object.values(view.state.values).flatMap((block) => Object.values(block));
  return states.find((v) => v.type === 'file_input')?.files?.[0]?.id;
}

export function formValues(view: ViewSubmitAction['view']): FormValues {
  const values: FormValues = {};
  for (const block of Object.values(view.state.values)) {
    for (const [actionId, state] of Object.entries(block)) values[actionId] = valueOf(state);
  }
  return values;
}

/** What every interactive payload (view submission, button, shortcut) says about who and where. */
interface InteractivePayload {
  team?: { id: string } | null;
  enterprise?: { id: string } | null;
  is_enterprise_install?: boolean;
  user: { id: string };
}

function fromPayload(
  body: InteractivePayload,
  where: { conversationId: string; isDirect: boolean; teamId?: string },
  idempotencyKey: string,
): Pick<Interaction, 'origin' | 'actor' | 'idempotencyKey'> {
  return {
    origin: {
      platform: 'slack',
      workspaceId: workspaceIdOf({
        teamId: body.team?.id ?? where.teamId,
        enterpriseId: body.enterprise?.id,
        isEnterpriseInstall: body.is_enterprise_install,
      }),
      conversationId: where.conversationId,
      isDirect: where.isDirect,
    },
    actor: { platform: 'slack', id: body.user.id },
    idempotencyKey,
  };
}

export function viewSubmissionInteraction(body: ViewSubmitAction, file?: SentFile): Interaction {
  const { view } = body;
  const read = readMetadata(view.private_metadata);
  const metadata = read === 'unreadable' ? {} : read;
  return {
    kind: 'form_submit',
    formId: view.callback_id,
    values: formValues(view),
    state: metadata.state ?? {},
    ...(file ? { file } : {}),
    ...(read === 'unreadable' ? { unreadable: true as const } : {}),
    // A double-clicked submit arrives twice with the same view; a corrected resubmission stored nothing before.
    ...fromPayload(
      body,
      { conversationId: metadata.conversationId ?? body.user.id, isDirect: metadata.isDirect ?? true, teamId: view.team_id },
      `view:${view.id}`,
    ),
  };
}

export function blockActionInteraction(body: BlockAction): Interaction | undefined {
  const action = body.actions[0];
  if (!action || action.type !== 'button') return undefined;
  const channelId = body.channel?.id ?? body.container?.channel_id;
  // A button in the Home tab has no channel: answers go to the person's DM with the bot.
  const where = channelId ? { conversationId: channelId, isDirect: isDirect(channelId, body.channel?.name) } : { conversationId: body.user.id, isDirect: true };
  return {
    kind: 'action',
    actionId: action.action_id,
    value: action.value,
    ...fromPayload(body, where, `action:${body.trigger_id}`),
  };
}

export function shortcutInteraction(shortcut: GlobalShortcut): Interaction {
  return {
    kind: 'action',
    actionId: shortcut.callback_id,
    // Global shortcuts have no channel: answers go to the person's DM with the bot.
    ...fromPayload(shortcut, { conversationId: shortcut.user.id, isDirect: true }, `shortcut:${shortcut.trigger_id}`),
  };
}

/**
 * An Events API event about one person (their profile, their Home tab): they are the actor, and it
 * happened in their DM with the bot. `teamId`: the person's team, for an envelope without one.
 */
export function personalEvent(
  body: Pick<EnvelopedEvent, 'team_id' | 'enterprise_id' | 'authorizations' | 'event_id'>,
  userId: string,
  conversationId: string,
  teamId?: string,
): Pick<Interaction, 'origin' | 'actor' | 'idempotencyKey'> {
  return {
    origin: {
      platform: 'slack',
      workspaceId: workspaceIdOf({
        teamId: body.team_id ?? teamId,
        enterpriseId: body.enterprise_id,
        isEnterpriseInstall: body.authorizations?.[0]?.is_enterprise_install,
      }),
      conversationId,
      isDirect: true,
    },
    actor: { platform: 'slack', id: userId },
    idempotencyKey: `event:${body.event_id}`,
  };
}

/** What Slack sends as the person types in an external select (`block_suggestion`), as far as we read it. */
export interface BlockSuggestion extends InteractivePayload {
  action_id: string;
  value: string;
  view?: { callback_id?: string; team_id?: string };
}

/** Typing in a modal's search field: the form and field it is, and what was typed. */
export function suggestionInteraction(body: BlockSuggestion): Interaction {
  return {
    kind: 'suggest',
    formId: body.view?.callback_id ?? '',
    fieldId: body.action_id,
    query: body.value,
    // Suggestions are read, never recorded: no key is reused.
    ...fromPayload(body, { conversationId: body.user.id, isDirect: true, teamId: body.view?.team_id }, `suggest:${body.action_id}`),
  };
}
