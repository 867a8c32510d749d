import type { Platform } from '../../chat/interaction';
import { limitHint } from '../../chat/input';
import type { Form, Message } from '../../chat/ui';
import type { Org } from '../../db/database';
import { questionSetOf } from '../feedback/feedback360.rules';
import { openSettingsButton as open360Settings, settingsSummary as feedback360Summary } from '../feedback/feedback360.views';
import { HOW_TO_CHOOSE_CHANNEL, NO_CHANNEL, recognitionChannelShown } from '../recognition/recognition.views';
import { MAX_ALLOWANCE, MAX_TIMEZONE, MAX_VALUES_TEXT } from './settings.rules';

export const SETTINGS_FORM = 'org.settings';
export const OPEN_SETTINGS = 'org.settings.open';

const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
const hours = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ value: String(from + i), label: hour(from + i) }));
/**
 * Teams' recognition channel, which the form can't pick (an Adaptive Card has no channel picker): the
 * one set, and how an HR admin sets another.
 */
function teamsChannelNote(org: Org): string {
  const channel = recognitionChannelShown(org, 'teams');
  const now = channel
    ? `Recognition channel: ${channel}. Kudos given in a 1:1 chat with me are posted there.`
    : 'Recognition channel: none, so kudos given in a 1:1 chat with me stay between the giver and the people they recognise.';
  return `${now} To choose ${channel ? 'another' : 'one'}, ${HOW_TO_CHOOSE_CHANNEL.teams}${channel ? `; ${NO_CHANNEL} sets none` : ''}.`;
}

/** Slack's form picks the recognition channel; in Teams it is chosen in the channel itself (see `teamsChannelNote`). */
export const asksChannel = (platform: Platform) => platform === 'slack';

export function settingsForm(org: Org, platform: Platform): Form {
  return {
    formId: SETTINGS_FORM,
    title: 'Organization settings',
    submitLabel: 'Save',
    ...(asksChannel(platform) ? {} : { intro: teamsChannelNote(org) }),
    fields: [
      {
        id: 'values',
        kind: 'text',
        label: 'Company values',
        required: true,
        initial: org.company_values.join(', '),
        maxLength: MAX_VALUES_TEXT,
        hint: limitHint(MAX_VALUES_TEXT, 'Comma-separated; people tag kudos with them, like #teamwork.'),
      },
      {
        id: 'allowance',
        kind: 'number',
        label: 'Monthly kudos points per person',
        required: true,
        min: 1,
        max: MAX_ALLOWANCE,
        initial: org.kudos_monthly_allowance,
      },
      ...(asksChannel(platform)
        ? [
            {
              id: 'channel',
              kind: 'channel' as const,
              label: 'Recognition channel',
              hint: 'Where kudos given in direct messages are posted.',
              ...(org.slack_recognition_channel ? { initial: org.slack_recognition_channel } : {}),
            },
          ]
        : []),
      {
        id: 'timezone',
        kind: 'text',
        label: 'Default timezone',
        required: true,
        initial: org.default_timezone,
        maxLength: MAX_TIMEZONE,
        hint: limitHint(MAX_TIMEZONE, 'For people whose timezone the platform doesn’t tell, e.g. Europe/Lisbon.'),
      },
      { id: 'work_start', kind: 'choice', label: 'Working day starts', required: true, options: hours(0, 23), initial: String(org.work_start_hour) },
      {
        id: 'work_end',
        kind: 'choice',
        label: 'Working day ends',
        required: true,
        options: hours(1, 24),
        initial: String(org.work_end_hour),
        hint: 'Reminders wait for working hours, Monday to Friday, in each person’s timezone.',
      },
    ],
  };
}

/** The org's settings as they are, with the button that changes them. */
export function settingsMessage(org: Org, platform: Platform, note?: string): Message {
  const channel = recognitionChannelShown(org, platform) ?? 'none (kudos given in private stay private)';
  return {
    summary: note ?? 'Organization settings',
    blocks: [
      ...(note ? [{ type: 'section' as const, text: note }] : []),
      { type: 'header', text: 'Organization settings' },
      {
        type: 'fields',
        fields: [
          { label: 'Company values', value: org.company_values.map((v) => `#${v}`).join(', ') },
          { label: 'Monthly kudos points', value: String(org.kudos_monthly_allowance) },
          { label: 'Recognition channel', value: channel },
          { label: 'Default timezone', value: org.default_timezone },
          { label: 'Working hours', value: `${hour(org.work_start_hour)}–${hour(org.work_end_hour)}, Monday to Friday` },
          { label: '360° feedback', value: feedback360Summary(questionSetOf(org), org.feedback_min_responses) },
        ],
      },
      { type: 'actions', buttons: [{ actionId: OPEN_SETTINGS, label: 'Change settings', opensForm: true }, open360Settings] },
    ],
  };
}
