import type { Effect } from '../../chat/effects';
import { Invalid } from '../../chat/errors';
import type { Feature, HandlerContext } from '../../chat/feature';
import { typed } from '../../chat/ui';
import { authorize, wholeOrg } from '../people/authorization';
import type { CyclesQueries } from './cycles.queries';
import { readReviewQuestions, reviewQuestionsOf } from './review-questions.rules';
import { QUESTIONS_FORM, reviewQuestionsForm, reviewQuestionsMessage } from './review-questions.views';

/**
 * The org's review questions (`/review questions`), changed by those who run review cycles
 * (`review.manage_cycles`): cycles created afterwards copy them, running ones keep theirs.
 */
export function reviewQuestionsFeature({ queries }: { queries: Pick<CyclesQueries, 'saveQuestions'> }): Feature {
  const manage = (ctx: HandlerContext) => authorize(ctx.actor, 'review.manage_cycles', wholeOrg(ctx.org.id));

  return {
    name: 'review-questions',
    help: ['{typed:review questions} what review cycles ask: the manager review’s competencies and questions, the self-assessment’s own questions (HR)'],
    commands: {
      async 'review questions'(interaction, ctx): Promise<Effect[]> {
        if (interaction.text.trim().split(/\s+/).length > 1) throw new Invalid(`Try ${typed('review questions')} on its own.`);
        manage(ctx);
        return [{ type: 'open_form', form: reviewQuestionsForm(reviewQuestionsOf(ctx.org)) }];
      },
    },
    forms: {
      async [QUESTIONS_FORM](interaction, ctx) {
        manage(ctx);
        const questions = readReviewQuestions(interaction.values, reviewQuestionsOf(ctx.org));
        await queries.saveQuestions(ctx.org.id, questions);
        return [{ type: 'done', message: reviewQuestionsMessage(questions, '✅ Review questions saved.') }];
      },
    },
  };
}
