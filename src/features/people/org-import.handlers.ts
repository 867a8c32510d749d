import { createHash } from 'node:crypto';
import type { Effect } from '../../chat/effects';
import { Invalid, NotFound } from '../../chat/errors';
import type { Interaction, SentFile } from '../../chat/interaction';
import type { Clock } from '../../chat/ports';
import type { Handler, HandlerContext } from '../../chat/feature';
import type { Message } from '../../chat/ui';
import { authorize, wholeOrg } from './authorization';
import { hrAdminByPlatform } from './org-chart.rules';
import type { OrgImportQueries } from './org-import.queries';
import { type Newcomer, isChange, newcomerKey, planImport, readImportCsv } from './org-import.rules';
import {
  APPLY_IMPORT,
  IMPORT_FORM,
  alreadyAppliedMessage,
  appliedMessage,
  changedMessage,
  dryRunMessage,
  errorsMessage,
  fileProblemMessage,
  importForm,
  nothingToChangeMessage,
  sendFileMessage,
} from './org-import.views';

export interface OrgImportDeps {
  queries: OrgImportQueries;
  clock: Clock;
  /** People HR_ADMIN_EMAILS names: HR admins when an import creates them with no role. */
  hrAdminEmails: readonly string[];
}

const reply = (message: Message): Effect => ({ type: 'reply', message });

/** The org chart from a CSV file, by an HR admin: a dry run first, stored; applied as shown, once, on confirm. */
export function orgImport({ queries, clock, hrAdminEmails }: OrgImportDeps) {
  async function dryRun(interaction: Interaction, ctx: HandlerContext, file: SentFile): Promise<Effect[]> {
    if ('problem' in file) return [reply(fileProblemMessage(file))];
    const read = readImportCsv(file.text);
    const chart = await queries.chart(ctx.org.id);
    const inChart = new Set(chart.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])));
    const unmet = [...new Set(read.rows.map((r) => r.email))].filter((email) => !inChart.has(email));
    const found = unmet.length > 0 ? await ctx.findByEmails(unmet) : new Map();
    const newcomers = new Map<string, Newcomer>(
      [...found].map(([email, user]) => [
        email,
        {
          email,
          name: user.displayName,
          platformUserId: user.id,
          timezone: user.timezone ?? ctx.org.default_timezone,
          hrByPlatform: hrAdminByPlatform(user, hrAdminEmails),
        },
      ]),
    );
    const { platform } = interaction.origin;
    const result = planImport(read, chart, newcomers, platform);
    if ('errors' in result) return [reply(errorsMessage(file.name, result.errors, platform))];
    if (!result.plan.rows.some(isChange)) return [reply(nothingToChangeMessage(file.name))];

    const importId = await queries.record({
      orgId: ctx.org.id,
      adminId: ctx.actor.id,
      idempotencyKey: `import:${platform}:${interaction.idempotencyKey}`,
      fileName: file.name,
      sha256: createHash('sha256').update(file.text).digest('hex'),
      plan: result.plan,
      at: clock.now(),
    });
    const names = new Map([...chart.map((p) => [p.id, p.name] as const), ...[...newcomers.values()].map((n) => [newcomerKey(n.email), n.name] as const)]);
    return [reply(dryRunMessage(importId, file.name, result.plan, (key) => names.get(key) ?? key))];
  }

  const command: Handler<'command'> = async (interaction, ctx) => {
    authorize(ctx.actor, 'org_chart.edit', wholeOrg(ctx.org.id));
    if (interaction.file) return dryRun(interaction, ctx, interaction.file);
    // A Teams card takes no file, and Teams hands a bot files only in its 1:1 chat: the file comes as a message.
    if (interaction.origin.platform === 'teams') return [reply(sendFileMessage(interaction.origin.isDirect))];
    return [{ type: 'open_form', form: importForm() }];
  };

  const forms: Record<string, Handler<'form_submit'>> = {
    async [IMPORT_FORM](interaction, ctx) {
      authorize(ctx.actor, 'org_chart.edit', wholeOrg(ctx.org.id));
      if (!interaction.file) throw new Invalid('Choose a CSV file.', 'file');
      return dryRun(interaction, ctx, interaction.file);
    },
  };

  const actions: Record<string, Handler<'action'>> = {
    async [APPLY_IMPORT](interaction, ctx) {
      authorize(ctx.actor, 'org_chart.edit', wholeOrg(ctx.org.id));
      const gone = new NotFound("I can't find that import any more. Send the file again for a fresh dry run.");
      // The router let through only a uuid, if any.
      if (!interaction.value) throw gone;
      const outcome = await queries.apply(ctx.org.id, interaction.value, ctx.actor.id, clock.now());
      switch (outcome.status) {
        case 'applied':
          return [{ type: 'update_source', message: appliedMessage(outcome) }];
        case 'already_applied':
          return [reply(alreadyAppliedMessage())];
        case 'changed':
          return [reply(changedMessage(outcome.why))];
        case 'not_found':
          throw gone;
      }
    },
  };

  return { command, forms, actions };
}
