import type { KnownBlock } from '@slack/types';
import { expect } from 'vitest';
import { renderHome, renderMessage as renderSlack, SLACK_LIMITS } from '../../src/adapters/slack/render';
import { type AdaptiveCard, type CardElement, cardBytes, renderMessage as renderTeams, TEAMS_LIMITS } from '../../src/adapters/teams/render';
import type { Message } from '../../src/chat/ui';

/** What Slack's limits and escaping say a message's blocks and text must be; the problems found, none when it fits. */
export function slackProblems(message: Message, where: 'message' | 'home' = 'message'): string[] {
  const rendered = where === 'home' ? { text: '', blocks: renderHome(message).blocks } : renderSlack(message);
  const userIds = new Set(Object.values(message.people ?? {}).flatMap((p) => (p.userId ? [p.userId] : [])));
  return slackPostProblems(rendered, userIds, where);
}

/**
 * The problems of a message as it goes to Slack (`text` and `blocks`): over a limit, or with live
 * markup other than mentions of `userIds` and channel links.
 */
export function slackPostProblems(post: { text?: string; blocks: unknown[] }, userIds: Set<string>, where: 'message' | 'home' = 'message'): string[] {
  const text = post.text ?? '';
  const blocks = post.blocks as KnownBlock[];
  const problems: string[] = [];
  const most = where === 'home' ? SLACK_LIMITS.viewBlocks : SLACK_LIMITS.messageBlocks;
  if (blocks.length > most) problems.push(`${blocks.length} blocks`);
  const mrkdwn: string[] = [text];
  const over = (what: string, value: string, max: number) => {
    if (value.length > max) problems.push(`${what} of ${value.length} characters`);
  };
  over('text', text, SLACK_LIMITS.summary);
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        over('header', block.text.text, SLACK_LIMITS.header);
        break;
      case 'section':
        if (block.text) {
          over('section', block.text.text, SLACK_LIMITS.section);
          mrkdwn.push(block.text.text);
        }
        if ((block.fields?.length ?? 0) > SLACK_LIMITS.fieldsPerSection) problems.push(`${block.fields!.length} fields`);
        for (const field of block.fields ?? []) {
          over('field', field.text, SLACK_LIMITS.small);
          mrkdwn.push(field.text);
        }
        break;
      case 'context':
        for (const element of block.elements) {
          if (element.type !== 'mrkdwn') continue;
          over('context', element.text, SLACK_LIMITS.small);
          mrkdwn.push(element.text);
        }
        break;
      case 'actions':
        if (block.elements.length > SLACK_LIMITS.elementsPerActions) problems.push(`${block.elements.length} buttons in a block`);
        for (const element of block.elements) if (element.type === 'button') over('button label', element.text.text, SLACK_LIMITS.label);
        break;
      default:
        problems.push(`a ${block.type} block`);
    }
  }
  for (const written of mrkdwn) problems.push(...markupProblems(written, userIds));
  return problems;
}

/**
 * Slack reads `<…>` as markup (mentions, channel-wide pings, links) and `&…;` as an escaped character:
 * in what the bot writes, the only markup is the mentions of the people the message names and the
 * channels it links, and every `&` is escaped.
 */
function markupProblems(mrkdwn: string, userIds: Set<string>): string[] {
  const problems: string[] = [];
  for (const [token] of mrkdwn.matchAll(/<[^>]*>?/g)) {
    const mention = /^<@([A-Z0-9]+)>$/.exec(token);
    if (mention && userIds.has(mention[1]!)) continue;
    if (/^<#C[A-Z0-9]+>$/.test(token)) continue;
    problems.push(`live markup ${token}`);
  }
  if (/>/.test(mrkdwn.replace(/<[^>]*>/g, ''))) problems.push('an unescaped >');
  if (/&(?!amp;|lt;|gt;)/.test(mrkdwn)) problems.push('an unescaped &');
  return problems;
}

const actionsOf = (card: AdaptiveCard) => [...(card.actions ?? []), ...card.body.flatMap((e) => (e.type === 'ActionSet' ? (e.actions as CardElement[]) : []))];

/** What Teams takes: an Adaptive Card 1.5, at most 6 actions, within the size the renderer keeps to. */
export const teamsProblems = (message: Message) => cardLimitProblems(renderTeams(message));

/** The problems of a card as it goes to Teams: not version 1.5, over 6 actions or over its size. */
export function cardLimitProblems(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  if (card.version !== '1.5') problems.push(`version ${card.version}`);
  const actions = actionsOf(card).length;
  if (actions > TEAMS_LIMITS.actions) problems.push(`${actions} actions`);
  const bytes = cardBytes(card);
  if (bytes > TEAMS_LIMITS.cardBytes) problems.push(`${bytes} bytes`);
  return problems;
}

/** The message fits both platforms, as a message (and, `home`, as Slack's Home tab too). */
export function expectToFit(message: Message, home = false): void {
  expect(slackProblems(message)).toEqual([]);
  if (home) expect(slackProblems(message, 'home')).toEqual([]);
  expect(teamsProblems(message)).toEqual([]);
}

/** What the renderers add when they cut: a feature's message that fits on its own has none of it. */
const CUT = /doesn't fit in one message|Not shown: |…/;

/** Fits both platforms whole: the renderers cut nothing from it. */
export function expectWhole(message: Message): void {
  expectToFit(message);
  expect(JSON.stringify(renderSlack(message))).not.toMatch(CUT);
  expect(JSON.stringify(renderTeams(message))).not.toMatch(CUT);
}

/** Every button of a Slack message, by its label. */
export const slackButtons = (blocks: unknown[]) =>
  (blocks as KnownBlock[]).flatMap((b) =>
    b.type === 'actions' ? b.elements.flatMap((e) => (e.type === 'button' ? [{ label: e.text.text, actionId: e.action_id ?? '', value: e.value }] : [])) : [],
  );
