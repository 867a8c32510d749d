import type { App } from '@slack/bolt';
import type { Router } from '../../../../chat/router';
import { slackDirectory } from '../../directory';
import { type BlockSuggestion, suggestionInteraction } from '../../interactions';
import { plainText } from '../../render';

/** Slack's options for an external select: up to 100, labels of at most 75 characters. */
const MAX_OPTIONS = 100;

/** Answers a modal's search field (`block_suggestion`) with the options its feature offers for what was typed. */
export function register(app: App, router: Router): void {
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, async ({ body, ack, client }) => {
    const effects = await router.dispatch(suggestionInteraction(body as unknown as BlockSuggestion), slackDirectory(client));
    const found = effects.flatMap((e) => (e.type === 'suggestions' ? e.options : []));
    const options = found
      .slice(0, MAX_OPTIONS)
      .map((o) => ({ text: { type: 'plain_text' as const, text: plainText(o.label, undefined).slice(0, 75) }, value: o.value }));
    await ack({ options });
  });
}
