import type { Interaction, UserRef } from './interaction';

/** A Slack user mention as commands carry it: `<@U123>` or `<@U123|name>`. */
export const SLACK_MENTION = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/;
/** A Teams mention tag; which user it is comes from the activity's entities. */
export const TEAMS_MENTION = /<at>([\s\S]*?)<\/at>/;

/** Everyone a command mentions, in order, each once, whichever platform it came from. */
export function mentionedUsers(interaction: Extract<Interaction, { kind: 'command' }>): UserRef[] {
  const ids = [
    ...[...interaction.text.matchAll(new RegExp(SLACK_MENTION, 'g'))].map((m) => m[1]!),
    ...(interaction.mentions ?? []).map((m) => m.userId),
  ];
  return [...new Set(ids)].map((id) => ({ platform: interaction.origin.platform, id }));
}

/** The command text without its mentions. */
export function withoutMentions(text: string): string {
  return text
    .replace(new RegExp(SLACK_MENTION, 'g'), ' ')
    .replace(new RegExp(TEAMS_MENTION, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
