import type { Platform } from '../../chat/interaction';
import { type Message, personRef, textMessage, typed } from '../../chat/ui';
import type { LinkOutcome } from './org-link.queries';
import { LINK_CODE_MINUTES, recordsInWords } from './org-link.rules';

const SIDE: Record<Platform, string> = { slack: 'Slack workspace', teams: 'Microsoft Teams tenant' };
const OTHER: Record<Platform, Platform> = { slack: 'teams', teams: 'slack' };

/** The words to send on the other platform, as it takes them (this message is read on one platform, the code typed on the other). */
const sendBackOn: Record<Platform, (code: string) => string> = {
  slack: (code) => `**/hepo link ${code}** in Slack`,
  teams: (code) => `**hepo link ${code}** to me in Teams`,
};

const RULE =
  'Only an organization whose only records are its people can join another: if both sides already have kudos, check-ins, feedback or 1:1s, I refuse and nothing changes.';

const list = (words: string[]) => (words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

export function codeMessage(code: string, platform: Platform): Message {
  const other = OTHER[platform];
  return {
    summary: `Your link code: ${code}`,
    blocks: [
      { type: 'section', text: `🔗 Your link code: **${code}**. It works once, for the next ${LINK_CODE_MINUTES} minutes.` },
      {
        type: 'section',
        text: `To make this ${SIDE[platform]} and your ${SIDE[other]} one organization, an HR admin there sends it back: ${sendBackOn[other](code)}. People are then matched by email: someone on both is one person, with one history.`,
      },
      { type: 'context', text: `${RULE} A new code replaces this one.` },
    ],
  };
}

export const alreadyIssuedMessage = (): Message =>
  textMessage(`I already answered this with a link code, above. For a new one (it replaces the last), ask again: ${typed('hepo link')}.`);

export const alreadyLinkedMessage = (): Message =>
  textMessage('✅ This organization already has its Slack workspace and its Microsoft Teams tenant linked: there is nothing more to link.');

/** To the code's maker, on their platform: the other side sent it back, from `redeemedOn`. */
export function linkedNotice(redeemerId: string, redeemedOn: Platform): Message {
  return textMessage(
    `🔗 ${personRef(redeemerId)} sent your link code back from the ${SIDE[redeemedOn]}: it and this ${SIDE[OTHER[redeemedOn]]} are now one organization, with people matched by email.`,
  );
}

/** The answer to a code sent back, or why nothing changed. */
export function linkOutcomeMessage(outcome: LinkOutcome, platform: Platform): Message {
  const other = SIDE[OTHER[platform]];
  switch (outcome.kind) {
    case 'linked': {
      const joined = outcome.joined.map((p) => SIDE[p]).join(' and ') || 'other side';
      return textMessage(
        `✅ Linked: this ${SIDE[platform]} and the ${other} are now one organization. ${outcome.matched} ${outcome.matched === 1 ? 'person was' : 'people were'} matched by email; ${outcome.moved} only on the ${joined} joined as they were. The organization's settings and org chart are those of the side that had records, or that gave the code.`,
      );
    }
    case 'unknown_code':
      return textMessage(
        `That link code doesn't work: it may be mistyped, used already, replaced by a newer one or older than ${LINK_CODE_MINUTES} minutes. Ask the HR admin who gave it to you for a new one.`,
      );
    case 'own_org':
      return textMessage(`That code is your own organization's. Give it to an HR admin of the ${other}: they send it back to me there.`);
    case 'issuer_not_hr':
      return textMessage('The person who made that code is no longer an HR admin there. Ask an HR admin of the other side for a new one.');
    case 'same_platform':
      return textMessage(
        `Both organizations already have a ${SIDE[outcome.platform]}. An organization links one Slack workspace and one Microsoft Teams tenant, so nothing changed.`,
      );
    case 'both_have_records':
      return textMessage(
        `I can't link these two: this organization already has ${list(recordsInWords(outcome.here))} and the other has ${list(recordsInWords(outcome.there))}. ${RULE}`,
      );
  }
}
