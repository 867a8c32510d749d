import type { Effect } from '../../chat/effects';
import type { Interaction } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { HandlerContext } from '../../chat/feature';
import { authorize, wholeOrg } from './authorization';
import type { OrgLinkQueries } from './org-link.queries';
import { LINK_CODE_MINUTES, linkCodeHash, newLinkCode } from './org-link.rules';
import { alreadyIssuedMessage, codeMessage, linkOutcomeMessage } from './org-link.views';

export interface OrgLinkDeps {
  queries: OrgLinkQueries;
  clock: Clock;
}

/**
 * `hepo link` (an HR admin gets a one-time code) and `hepo link <code>` (an HR admin of the other
 * platform sends it back): a Slack workspace and a Teams tenant become one org only this way.
 */
export function orgLink({ queries, clock }: OrgLinkDeps) {
  return async function link(interaction: Interaction, ctx: HandlerContext, typedCode: string): Promise<Effect[]> {
    authorize(ctx.actor, 'org.link', wholeOrg(ctx.org.id));
    const { platform } = interaction.origin;
    if (typedCode) {
      const outcome = await queries.redeem({ orgId: ctx.org.id, codeHash: linkCodeHash(typedCode), now: clock.now() });
      return [{ type: 'reply', message: linkOutcomeMessage(outcome, platform) }];
    }
    const code = newLinkCode();
    const issued = await queries.issue({
      orgId: ctx.org.id,
      issuedBy: ctx.actor.id,
      codeHash: linkCodeHash(code),
      idempotencyKey: `link:${platform}:${interaction.idempotencyKey}`,
      expiresAt: new Date(clock.now().getTime() + LINK_CODE_MINUTES * 60_000),
    });
    return [{ type: 'reply', message: issued ? codeMessage(code, platform) : alreadyIssuedMessage() }];
  };
}
