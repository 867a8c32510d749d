import type { Effect } from '../../chat/effects';
import type { Interaction } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { SendRecorded } from '../../notify/deliver-notifications.job';
import type { HandlerContext } from '../../chat/feature';
import { authorize, wholeOrg } from './authorization';
import type { OrgLinkQueries } from './org-link.queries';
import { LINK_CODE_MINUTES, linkCodeHash, newLinkCode } from './org-link.rules';
import { alreadyIssuedMessage, alreadyLinkedMessage, codeMessage, linkedNotice, linkOutcomeMessage } from './org-link.views';

export interface OrgLinkDeps {
  queries: OrgLinkQueries;
  clock: Clock;
  sendRecorded: SendRecorded;
}

/**
 * `hepo link` (an HR admin gets a one-time code) and `hepo link <code>` (an HR admin of the other
 * platform sends it back): a Slack workspace and a Teams tenant become one org only this way.
 */
export function orgLink({ queries, clock, sendRecorded }: OrgLinkDeps) {
  return async function link(interaction: Interaction, ctx: HandlerContext, typedCode: string): Promise<Effect[]> {
    authorize(ctx.actor, 'org.link', wholeOrg(ctx.org.id));
    const { platform } = interaction.origin;
    // Also the answer to a repeat of the message that linked them.
    if (await queries.isLinked(ctx.org.id)) return [{ type: 'reply', message: alreadyLinkedMessage() }];
    if (typedCode) {
      const outcome = await queries.redeem({ orgId: ctx.org.id, actorId: ctx.actor.id, codeHash: linkCodeHash(typedCode), now: clock.now() }, (n) => ({
        // One notice per org that sent a code back: this org is gone once linked.
        dedupeKey: `org-link:${ctx.org.id}`,
        platform: n.platform,
        target: { kind: 'person', workspaceId: n.workspaceId, personId: n.issuerId },
        message: linkedNotice(n.redeemerId, platform),
      }));
      if (outcome.kind === 'linked') await sendRecorded(outcome.org.id, outcome.recorded);
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
