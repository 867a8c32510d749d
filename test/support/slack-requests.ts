import { createHmac, randomUUID } from 'node:crypto';

export const SLACK_SIGNING_SECRET = 'test-signing-secret';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * POSTs a form-encoded body to /slack/events signed as Slack signs it. A command answered in its
 * acknowledgement is shown by Slack exactly like one sent to its response_url, so it is passed on to
 * the response_url (the stub records both the same way).
 */
export async function postSigned(baseUrl: string, form: Record<string, string>, signing: { secret?: string; timestamp?: number } = {}): Promise<Response> {
  const res = await post(baseUrl, form, signing);
  const answer = form.response_url && res.headers.get('content-type')?.includes('application/json') ? await res.clone().json() : undefined;
  if (answer && typeof answer === 'object' && 'response_type' in answer) {
    await fetch(form.response_url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) });
  }
  return res;
}

async function post(
  baseUrl: string,
  form: Record<string, string>,
  { secret = SLACK_SIGNING_SECRET, timestamp = Math.floor(Date.now() / 1000) }: { secret?: string; timestamp?: number },
): Promise<Response> {
  const body = new URLSearchParams(form).toString();
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
  });
}

/**
 * POSTs an Events API callback (JSON) to /slack/events, signed. `eventId` and `retry` send it as
 * Slack sends a retry: the same event id, with the retry's number and reason in headers.
 */
export async function postSignedEvent(
  baseUrl: string,
  event: Record<string, unknown>,
  teamId = 'T1',
  { eventId = `Ev${randomUUID().slice(0, 8)}`, retry }: { eventId?: string; retry?: { num: number; reason: string } } = {},
): Promise<Response> {
  const body = JSON.stringify({ type: 'event_callback', team_id: teamId, api_app_id: 'A1', event_id: eventId, event_time: 1, event });
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SLACK_SIGNING_SECRET, timestamp, body),
      ...(retry ? { 'x-slack-retry-num': String(retry.num), 'x-slack-retry-reason': retry.reason } : {}),
    },
    body,
  });
}

export interface CommandOptions {
  command?: string;
  text: string;
  userId?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  triggerId?: string;
  responseUrl: string;
}

export function slashCommand(o: CommandOptions): Record<string, string> {
  return {
    token: 'legacy',
    team_id: o.teamId ?? 'T1',
    team_domain: 'acme',
    channel_id: o.channelId ?? 'C1',
    channel_name: o.channelName ?? 'general',
    user_id: o.userId ?? 'UGIVER',
    user_name: 'giver',
    command: o.command ?? '/kudos',
    text: o.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: o.triggerId ?? `trigger-${randomUUID()}`,
  };
}

/** A slash command typed in the person's DM with the bot, answered through `responseUrl`. */
export const commandInDm = (command: string, text: string, userId: string, responseUrl: string) =>
  slashCommand({ command, text, userId, channelId: `D${userId}`, channelName: 'directmessage', responseUrl });

export function interactionPayload(payload: Record<string, unknown>): Record<string, string> {
  return { payload: JSON.stringify(payload) };
}

/** A button click on a message (block_actions), as Slack sends it. */
export function buttonClick(o: {
  actionId: string;
  value?: string;
  userId: string;
  channelId: string;
  messageTs?: string;
  responseUrl: string;
  teamId?: string;
  /** The message was ephemeral (seen by the clicker only). */
  ephemeral?: boolean;
}): Record<string, string> {
  return interactionPayload({
    type: 'block_actions',
    team: { id: o.teamId ?? 'T1' },
    user: { id: o.userId },
    channel: { id: o.channelId, name: o.channelId.startsWith('D') ? 'directmessage' : 'general' },
    container: { type: 'message', channel_id: o.channelId, message_ts: o.messageTs ?? '1.0', is_ephemeral: o.ephemeral ?? false },
    trigger_id: `trigger-${randomUUID()}`,
    response_url: o.responseUrl,
    actions: [{ type: 'button', action_id: o.actionId, block_id: 'b', action_ts: '1', ...(o.value ? { value: o.value } : {}) }],
    is_enterprise_install: false,
  });
}

/** A click on a button in the person's Home tab: the payload names the view, and no channel or response_url. */
export function homeButtonClick(o: { actionId: string; value?: string; userId: string; teamId?: string }): Record<string, string> {
  return interactionPayload({
    type: 'block_actions',
    team: { id: o.teamId ?? 'T1' },
    user: { id: o.userId },
    container: { type: 'view', view_id: 'VHOME' },
    view: { id: 'VHOME', type: 'home', team_id: o.teamId ?? 'T1', blocks: [], private_metadata: '', callback_id: '', hash: 'h' },
    trigger_id: `trigger-${randomUUID()}`,
    actions: [{ type: 'button', action_id: o.actionId, block_id: 'b', action_ts: '1', ...(o.value ? { value: o.value } : {}) }],
    is_enterprise_install: false,
  });
}

type ViewPayload = {
  view: { callback_id: string; private_metadata: string; blocks: unknown[]; id?: string };
  values: Record<string, Record<string, unknown>>;
  userId?: string;
  teamId?: string;
};

function viewPayload(type: 'view_submission' | 'view_closed', o: ViewPayload): Record<string, string> {
  return interactionPayload({
    type,
    team: { id: o.teamId ?? 'T1', domain: 'acme' },
    user: { id: o.userId ?? 'UGIVER', team_id: o.teamId ?? 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger-${randomUUID()}`,
    is_enterprise_install: false,
    view: {
      id: o.view.id ?? `V${randomUUID().slice(0, 8)}`,
      team_id: o.teamId ?? 'T1',
      type: 'modal',
      callback_id: o.view.callback_id,
      private_metadata: o.view.private_metadata,
      blocks: o.view.blocks,
      state: { values: o.values },
      hash: 'h',
    },
  });
}

/** One input in a submitted view's state; our forms give each block and its element the field's id. */
const field = (id: string, element: Record<string, unknown>) => ({ [id]: { [id]: element } });
export const textField = (id: string, value: string | null) => field(id, { type: 'plain_text_input', value });
/** A select left empty when no value is given. */
export const choiceField = (id: string, value?: string) => field(id, { type: 'static_select', selected_option: value ? { value } : null });
export const userField = (id: string, userId: string) => field(id, { type: 'users_select', selected_user: userId });
export const dateField = (id: string, date: string) => field(id, { type: 'datepicker', selected_date: date });

/**
 * A modal's state as Slack sends it: each input block's element with what the person gave (by block
 * id; null clears it), or else what it started with.
 */
export function modalValues(view: { blocks: any[] }, given: Record<string, string | string[] | null> = {}): ViewPayload['values'] {
  const values: ViewPayload['values'] = {};
  for (const block of view.blocks.filter((b) => b.type === 'input')) {
    const el = block.element;
    const value = block.block_id in given ? given[block.block_id] : undefined;
    const state = (() => {
      switch (el.type) {
        case 'datepicker':
          return { selected_date: value === undefined ? (el.initial_date ?? null) : value };
        case 'static_select':
        case 'radio_buttons':
          return { selected_option: value === undefined ? (el.initial_option ?? null) : value === null ? null : { value } };
        case 'multi_users_select':
          return { selected_users: value ?? el.initial_users ?? [] };
        case 'users_select':
          return { selected_user: value ?? el.initial_user ?? null };
        default:
          return { value: value === undefined ? (el.initial_value ?? null) : value };
      }
    })();
    values[block.block_id] = { [el.action_id]: { type: el.type, ...state } };
  }
  return values;
}

/** A view_submission as Slack sends it for a modal we rendered. */
export const viewSubmission = (o: ViewPayload) => viewPayload('view_submission', o);

/** A view_closed, as Slack sends it when the person closes a modal that asked to be told (`notify_on_close`). */
export const viewClosed = (o: ViewPayload) => viewPayload('view_closed', o);

/** What Slack sends as a person types in a modal's external select (block_suggestion). */
export function blockSuggestion(o: {
  userId: string;
  view: { callback_id: string; id?: string };
  actionId: string;
  value: string;
  teamId?: string;
}): Record<string, string> {
  return interactionPayload({
    type: 'block_suggestion',
    team: { id: o.teamId ?? 'T1', domain: 'acme' },
    user: { id: o.userId, team_id: o.teamId ?? 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    action_id: o.actionId,
    block_id: o.actionId,
    value: o.value,
    view: { id: o.view.id ?? 'VSEARCH', team_id: o.teamId ?? 'T1', type: 'modal', callback_id: o.view.callback_id },
  });
}
