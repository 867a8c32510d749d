import dayjs from 'dayjs';
import type { Effect } from '../../chat/effects';
import { Invalid, NotAllowed, NotFound } from '../../chat/errors';
import { boundedText, withinLimit } from '../../chat/input';
import type { Feature, HandlerContext } from '../../chat/feature';
import { textMessage } from '../../chat/ui';
import { POLICY, authorizeOn } from '../people/authorization';
import type { CheckinsDeps } from './checkins.deps';
import { checkinDigest } from './checkins.jobs';
import { streak } from './checkins.rules';
import {
  ANSWER_FORM,
  MAX_ANSWER,
  MAX_REPLY,
  MAX_SKIP_REASON,
  REPLY,
  REPLY_FORM,
  SKIP,
  SKIP_FORM,
  SNOOZE,
  START,
  VIEW_ANSWERS,
  ANSWERS_MORE,
  answerForm,
  answersMessages,
  closedPromptMessage,
  replyForm,
  replyMessage,
  skipForm,
  streakLine,
} from './checkins.views';

const SNOOZE_HOURS = 2;

/**
 * A check-in once it is asked: answering, skipping and snoozing it (its person's), its answers (for
 * those the policy lets read them), and the private thread between the person and their manager.
 */
export function promptHandlers({ queries, people, enqueue, clock, sendRecorded }: CheckinsDeps): Pick<Feature, 'actions' | 'forms'> {
  /** The prompt, if it is the actor's own. */
  async function ownPrompt(ctx: HandlerContext, promptId: string | undefined) {
    const prompt = promptId ? await queries.prompt(ctx.org.id, promptId) : undefined;
    if (!prompt) throw new NotFound("I couldn't find that check-in any more.");
    if (prompt.person_id !== ctx.actor.id) throw new NotAllowed('This check-in belongs to someone else.');
    return prompt;
  }

  async function anyPrompt(ctx: HandlerContext, promptId: string | undefined) {
    const prompt = promptId ? await queries.prompt(ctx.org.id, promptId) : undefined;
    if (!prompt) throw new NotFound("I couldn't find that check-in any more.");
    return prompt;
  }

  /** A check-in's answers, for those the policy lets read them: its first page, or (`rest`) all the others. */
  async function answersOf(ctx: HandlerContext, promptId: string | undefined, rest: boolean): Promise<Effect[]> {
    const prompt = await anyPrompt(ctx, promptId);
    await authorizeOn(ctx, 'checkins.read_answers', { id: prompt.person_id, org_id: prompt.org_id });
    const [person, answers] = await Promise.all([people.person(ctx.org.id, prompt.person_id), queries.answers(ctx.org.id, [prompt.id])]);
    // Its manager can write back from it.
    const replyTo = prompt.manager_id === ctx.actor.id ? prompt.id : undefined;
    const pages = answersMessages({ promptId: prompt.id, period: prompt.period, name: person?.display_name ?? 'Someone', answers, replyTo });
    return (rest ? pages.slice(1) : pages.slice(0, 1)).map((message) => ({ type: 'reply', message }));
  }

  /** The last answer of a period sends the manager's digest right away rather than at the next tick. */
  const digestSoon = (prompt: { team_id: string; period: string }) =>
    enqueue(checkinDigest, { teamId: prompt.team_id, period: prompt.period }, { jobId: `checkin-digest-${prompt.team_id}-${prompt.period}` }).catch(() => {
      // The scheduler's next tick sends it anyway.
    });

  const alreadyClosed = (prompt: { status: string; period: string }): Effect[] => [
    { type: 'update_source', message: closedPromptMessage(prompt.period, prompt.status === 'answered' ? '✅ Submitted' : '⏭️ Skipped') },
    { type: 'reply', message: textMessage(`You already ${prompt.status === 'answered' ? 'submitted' : 'skipped'} this check-in.`) },
  ];

  /**
   * The other person in a check-in's private thread. It is between the person and the manager whose
   * team the check-in came from, while that manager still manages them in the org chart.
   */
  async function threadPartner(ctx: HandlerContext, prompt: { person_id: string; manager_id: string; org_id: string }): Promise<string> {
    await authorizeOn(ctx, 'checkins.reply', { id: prompt.person_id, org_id: prompt.org_id });
    const person = await people.person(ctx.org.id, prompt.person_id);
    if (person?.manager_id !== prompt.manager_id) throw new NotAllowed('This check-in was for a team this person is no longer in, so its thread is closed.');
    if (ctx.actor.id === prompt.person_id) return prompt.manager_id;
    if (ctx.actor.id === prompt.manager_id) return prompt.person_id;
    throw new NotAllowed(POLICY['checkins.reply'].refusal);
  }

  return {
    actions: {
      async [START](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.value);
        if (prompt.status !== 'sent') return alreadyClosed(prompt);
        const questions = await queries.questionsOf(ctx.org.id, prompt.team_id);
        return [{ type: 'open_form', form: answerForm(prompt.id, prompt.period, questions) }];
      },

      async [SKIP](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.value);
        if (prompt.status !== 'sent') return alreadyClosed(prompt);
        return [{ type: 'open_form', form: skipForm(prompt.id) }];
      },

      async [SNOOZE](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.value);
        const until = new Date(clock.now().getTime() + SNOOZE_HOURS * 3_600_000);
        if (!(await queries.snooze(ctx.org.id, prompt.id, until))) return alreadyClosed(prompt);
        const local = dayjs(until).tz(ctx.actor.timezone).format('HH:mm');
        return [{ type: 'update_source', message: closedPromptMessage(prompt.period, `😴 Snoozed: I'll bring it back at ${local}`) }];
      },

      async [REPLY](interaction, ctx) {
        const prompt = await anyPrompt(ctx, interaction.value);
        const other = await people.person(ctx.org.id, await threadPartner(ctx, prompt));
        return [{ type: 'open_form', form: replyForm(prompt.id, other?.display_name ?? 'them') }];
      },

      /** Opens a check-in's answers, privately, to the person and those the policy lets read them. */
      [VIEW_ANSWERS]: (interaction, ctx) => answersOf(ctx, interaction.value, false),
      [ANSWERS_MORE]: (interaction, ctx) => answersOf(ctx, interaction.value, true),
    },
    forms: {
      async [ANSWER_FORM](interaction, ctx) {
        const prompt = await ownPrompt(ctx, interaction.state.promptId);
        if (prompt.status !== 'sent') return alreadyClosed(prompt);
        const questions = await queries.questionsOf(ctx.org.id, prompt.team_id);
        const answers = questions.flatMap((q) => {
          const raw = interaction.values[q.id];
          const value = (Array.isArray(raw) ? raw.join(', ') : (raw ?? '')).trim();
          if (q.kind === 'rating') {
            const n = Number(value);
            const max = Number(q.options?.[0] ?? 5);
            if (!Number.isInteger(n) || n < 1 || n > max) throw new Invalid(`Pick a number from 1 to ${max}.`, q.id);
          }
          if (q.kind === 'choice' && value && !(q.options ?? []).includes(value)) throw new Invalid('Pick one of the choices.', q.id);
          return value ? [{ questionId: q.id, value: withinLimit(value, MAX_ANSWER, { field: q.id }) }] : [];
        });
        if (answers.length === 0) throw new Invalid('Answer at least one question, or skip this check-in instead.', questions[0]?.id);
        if (!(await queries.answer(ctx.org.id, prompt.id, answers))) return alreadyClosed(prompt);
        await digestSoon(prompt);
        const history = await queries.history(ctx.org.id, ctx.actor.id, 52);
        return [
          { type: 'update_source', message: closedPromptMessage(prompt.period, '✅ Submitted') },
          { type: 'done', message: textMessage(`Thanks, your check-in is in.${streakLine(streak(history.map((h) => h.status)))}`) },
        ];
      },

      async [SKIP_FORM](interaction, ctx) {
        const reason = boundedText(interaction.values.reason, MAX_SKIP_REASON, 'reason');
        if (!reason) throw new Invalid('Say in a few words why, so your manager knows.', 'reason');
        const prompt = await ownPrompt(ctx, interaction.state.promptId);
        if (!(await queries.skip(ctx.org.id, prompt.id, reason))) return alreadyClosed(prompt);
        await digestSoon(prompt);
        return [
          { type: 'update_source', message: closedPromptMessage(prompt.period, `⏭️ Skipped: ${reason}`) },
          { type: 'done', message: textMessage('Skipped. See you next time!') },
        ];
      },

      async [REPLY_FORM](interaction, ctx) {
        const body = boundedText(interaction.values.text, MAX_REPLY, 'text');
        if (!body) throw new Invalid('Write a few words first.', 'text');
        const prompt = await anyPrompt(ctx, interaction.state.promptId);
        const to = await threadPartner(ctx, prompt);
        const recorded = await queries.addReply(
          {
            orgId: ctx.org.id,
            promptId: prompt.id,
            authorId: ctx.actor.id,
            text: body,
            idempotencyKey: `reply:${interaction.origin.platform}:${interaction.idempotencyKey}`,
          },
          (replyId) => ({
            dedupeKey: `checkin-reply:${replyId}`,
            platform: prompt.platform,
            target: { kind: 'person', workspaceId: prompt.workspace_id, personId: to },
            message: replyMessage({ fromId: ctx.actor.id, period: prompt.period, text: body, promptId: prompt.id }),
          }),
        );
        await sendRecorded(ctx.org.id, recorded);
        return [{ type: 'done', message: textMessage('Sent privately.') }];
      },
    },
  };
}
