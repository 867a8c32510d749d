import { describe, expect, it } from 'vitest';
import { renderModal, SLACK_LIMITS } from '../../src/adapters/slack/render';
import { cardBytes, renderForm, renderMessage as renderTeams, TEAMS_LIMITS } from '../../src/adapters/teams/render';
import { homeHandlers } from '../../src/chat/home';
import type { Feature, HandlerContext } from '../../src/chat/feature';
import { type Block, type Form, type Message, peopleNamedIn } from '../../src/chat/ui';
import {
  answerForm,
  answersMessages,
  type DigestRow,
  digestMessage,
  historyMessage,
  homeSection as checkinsHome,
  promptMessage,
  replyMessage,
} from '../../src/features/checkins/checkins.views';
import { feedbackMessage, homeSection as feedbackHome, requestMessage } from '../../src/features/feedback/feedback.views';
import { agendaMessage, oneOnOnesHome } from '../../src/features/one-on-ones/one-on-ones.views';
import { dryRunMessage, errorsMessage } from '../../src/features/people/org-import.views';
import { confirmationMessage, homeSection as recognitionHome, recipientMessage, recognitionMessage } from '../../src/features/recognition/recognition.views';
import type { QuestionSet, ReviewQuestions } from '../../src/db/database';
import { buildReport, SET_LIMITS } from '../../src/features/feedback/feedback360.rules';
import {
  answerForm as answer360Form,
  reportMessage,
  settingsMessage as feedback360Settings,
  wordsMessages,
} from '../../src/features/feedback/feedback360.views';
import type { GoalRow } from '../../src/features/goals/goals.queries';
import {
  atRiskMessage,
  goalsMessage,
  homeSection as goalsHome,
  nudgeMessage,
  type ShownGoal,
  treeMessage,
  type TreeNode,
} from '../../src/features/goals/goals.views';
import type { CalibrationRow } from '../../src/features/reviews/calibration.rules';
import { NAMES_PER_BOX, calibrationMessage } from '../../src/features/reviews/calibration.views';
import {
  CONTEXT_ROOM,
  contextMessage,
  historyMessage as reviewHistoryMessage,
  LIMITS as REVIEW_LIMITS,
  reviewForm,
  reviewMessages,
  signOffBlocks,
  submittedMessage,
  TRAIL_LINES,
} from '../../src/features/reviews/manager-review.views';
import {
  GOALS_ASSESSED,
  LIMITS as SELF_LIMITS,
  selfAssessmentForm,
  selfAssessmentMessages,
  reviewTasksMessage,
} from '../../src/features/reviews/self-assessment.views';
import { reviewQuestionsForm, reviewQuestionsMessage } from '../../src/features/reviews/review-questions.views';
import { fromTemplate } from '../../src/features/reviews/cycle-plan.rules';
import { FORM_ROOM, SELF_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import {
  behindSummary,
  cyclesMessage,
  participantTask,
  phaseNudge,
  progressMessage,
  reviewerNudge,
  reviewerTask,
  taskBlocks,
  templatesMessage,
} from '../../src/features/reviews/cycles.views';
import { cardLimitProblems, expectToFit, expectWhole } from '../support/message-limits';

/** A long name, as some people have (Slack allows 80 characters). */
const LONG_NAME = 'Maria-Fernanda de los Ángeles Concepción Rodríguez-Valenzuela';
const long = (n: number) => 'It went well, mostly, and here is why. '.repeat(Math.ceil(n / 38)).slice(0, n);
const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** The message with everyone it names shown with long names, half with an account on the platform. */
const shown = (m: Message): Message => ({
  ...m,
  people: Object.fromEntries(peopleNamedIn(m).map((id, i) => [id, { name: `${LONG_NAME} ${id}`, ...(i % 2 ? {} : { userId: `U${i}` }) }])),
});

/** Every page of a paged message, following its "Show more" (whose value names the first item of the next page). */
function pages(page: (startAt?: string) => Message): Message[] {
  const all = [page()];
  for (;;) {
    const more = all
      .at(-1)!
      .blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []))
      .find((b) => b.label.startsWith('Show '));
    if (!more) return all;
    all.push(page(more.value));
  }
}

const PERIOD = '2026-11-27';

/** Teams refuses a message over 100 KB (UTF-16); a form's card keeps 4 KB of it for the activity around it. */
const TEAMS_FORM_BYTES = 96 * 1024;

/** The most an org may set, every label at its longest, with no colon: the report shows it whole. */
const LARGEST_SET: QuestionSet = {
  competencies: ids(SET_LIMITS.competencies, 'c').map((id) => ({ id, label: long(SET_LIMITS.label) })),
  questions: ids(SET_LIMITS.questions, 'q').map((id) => ({ id, label: long(SET_LIMITS.label) })),
};

/** The most HR's review questions may hold, every label at its longest. */
const LARGEST_REVIEW_QUESTIONS: ReviewQuestions = {
  manager_review: {
    competencies: ids(FORM_ROOM.competencies, 'c').map((id) => ({ id, label: long(FORM_ROOM.label) })),
    questions: ids(FORM_ROOM.questions, 'q').map((id) => ({ id, label: long(FORM_ROOM.label) })),
  },
  self_assessment: { questions: ids(SELF_QUESTIONS, 's').map((id) => ({ id, label: long(FORM_ROOM.label) })) },
};
/** A self-assessment's answers to the most questions a cycle may add, each at its longest. */
const LARGEST_SELF_ANSWERS = LARGEST_REVIEW_QUESTIONS.self_assessment.questions.map((q) => ({ ...q, text: long(SELF_LIMITS.answer) }));

describe('every view, fed big inputs, fits both platforms', () => {
  it('a digest for a team of 40, long blockers and reasons, page by page, everyone once', () => {
    const rows: DigestRow[] = ids(40, 'p').map((personId, i) => ({
      promptId: i % 8 === 7 ? undefined : `prompt-${i}`,
      personId,
      name: `${LONG_NAME} ${i}`,
      state: i % 8 === 7 ? 'away' : i % 5 === 4 ? 'skipped' : i % 9 === 8 ? 'missing' : 'answered',
      mood: { value: 3, max: 5 },
      blockers: long(2000),
      skipReason: long(300),
    }));
    const all = pages((startAt) => shown(digestMessage({ period: PERIOD, rows, trend: [3.2, 3.5, 4, 4.1], startAt })));
    for (const page of all) expectWhole(page);
    // Those with nothing to open first, in one list; then everyone who answered or skipped, with their button.
    const nothingToOpen = rows.filter((r) => r.state === 'away' || r.state === 'missing');
    const withButton = rows.filter((r) => !nothingToOpen.includes(r));
    expect(all.flatMap(peopleNamedIn)).toEqual([...nothingToOpen, ...withButton].map((r) => r.personId));
  });

  it('an agenda of 60 long points, page by page, every point once', () => {
    const items = ids(60, 'item-').map((id, i) => ({ id, text: long(500), authorId: i % 2 ? 'maya' : 'ana' }));
    const from = (startAt?: string) =>
      Math.max(
        items.findIndex((i) => i.id === startAt),
        0,
      );
    const all = pages((startAt) =>
      shown(agendaMessage({ oneOnOneId: 'o1', withId: 'ana', when: 'Fri, Dec 4 at 10:00', items, reminder: true, from: from(startAt) })),
    );
    for (const page of all) expectWhole(page);
    const done = all.flatMap((p) => p.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])).filter((b) => b.label === 'Done'));
    expect(done.map((b) => b.value)).toEqual(items.map((i) => i.id));
  });

  it('an agenda page asked for past its end (points done since) is its last page', () => {
    const items = ids(10, 'item-').map((id) => ({ id, text: id, authorId: 'ana' }));
    const late = agendaMessage({ oneOnOneId: 'o1', withId: 'ana', when: 'Fri', items, reminder: false, from: 40 });
    expect(late.blocks[0]).toMatchObject({ text: expect.stringContaining('Points 9–10 of 10.') });
  });

  it("a check-in's 10 longest answers: the first page, then the rest at once, every answer once", () => {
    const answers = Array.from({ length: 10 }, (_, i) => ({ prompt: `Question ${i}: ${long(190)}`, value: long(2000) }));
    const all = answersMessages({ promptId: 'pr', period: PERIOD, name: LONG_NAME, answers, replyTo: 'pr' });
    for (const page of all) expectWhole(page);
    expect(all.length).toBeGreaterThan(1);
    expect(all.flatMap((p) => p.blocks.filter((b) => b.type === 'section'))).toHaveLength(10);
    const buttons = all.map((p) => p.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.label) : [])));
    expect(buttons[0]).toEqual([`Reply to ${LONG_NAME}`, `Show ${10 - (all[0]!.blocks.length - 2)} more`]);
    expect(buttons.slice(1).flat()).toEqual([]);
  });

  it('a check-in prompt with many long questions, its form in the card', () => {
    const questions = Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, kind: 'text' as const, prompt: long(240), options: null }));
    expectWhole(promptMessage({ name: LONG_NAME, period: PERIOD, promptId: 'p1', reminder: false, form: answerForm('p1', PERIOD, questions) }));
  });

  it("a manager's history with a team of 40", () => {
    const memberIds = ids(40, 'p');
    const rows = memberIds.map((personId, i) => ({
      promptId: `pr${i}`,
      personId,
      name: `${LONG_NAME} ${i}`,
      state: (['answered', 'skipped', 'open', 'missed'] as const)[i % 4]!,
      skipReason: long(300),
    }));
    const team = {
      memberIds,
      every: 'week' as const,
      weekday: 5,
      localTime: '15:00',
      next: 'Fri, Dec 4 at 15:00',
      round: { period: PERIOD, answered: 10, expected: 40, rows, waiting: rows.map((r) => ({ promptId: r.promptId, name: r.name })) },
    };
    const history = ids(8, 'h').map((id, i) => ({ id, period: `2026-10-${String(i + 1).padStart(2, '0')}`, status: 'answered' }));
    expectToFit(shown(historyMessage({ rows: history, streak: 8, memberOf: { managerId: 'boss', next: 'Fri, Dec 4 at 15:00' }, team, canSetUp: true })));
  });

  it('messages that carry what people wrote at its longest', () => {
    const kudos = {
      giverId: 'gia',
      recipients: ids(20, 'r').map((id) => ({ id, name: `${LONG_NAME} ${id}` })),
      pointsEach: 10,
      value: 'teamwork',
      message: long(1000),
    };
    for (const m of [
      recognitionMessage(kudos),
      recipientMessage(kudos),
      confirmationMessage(kudos, { left: 0, allowance: 1000 }, { in: 'nowhere', choose: 'type /kudos channel #recognition' }),
      replyMessage({ fromId: 'maya', period: PERIOD, text: long(2000), promptId: 'p1' }),
      feedbackMessage({ fromId: 'gia', kind: 'suggestion', text: long(2000), feedbackId: 'f1', topic: long(200) }),
      requestMessage({ fromId: 'gia', topic: long(200), requestId: 'r1' }),
    ]) {
      expectWhole(shown(m));
    }
  });

  it('an org chart import of 10,000 rows, its dry run and its errors', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      line: i + 2,
      key: `k${i}`,
      email: `person.${i}@acme.test`,
      name: `${LONG_NAME} ${i}`,
      before: i % 2 ? null : { managerId: null, department: 'Sales', title: 'Rep', role: 'employee' as const, roleSetByHr: false },
      after: { managerId: 'k0', department: 'Engineering', title: long(100), role: 'manager' as const, roleSetByHr: true },
    }));
    expectToFit(dryRunMessage('imp', 'chart.csv', { platform: 'slack', newcomers: [], rows }, (key) => `${LONG_NAME} ${key}`));
    const errors = rows.map((r) => ({ line: r.line, message: `${r.email} is nobody I can find. ${long(100)}`, unknownPerson: true as const }));
    expectToFit(errorsMessage('chart.csv', errors, 'teams'));
  });

  it("a manager's home with every section full, as Slack's Home tab and as a Teams card", async () => {
    const waiting = ids(5, 'pr').map((promptId) => ({ promptId, name: LONG_NAME, status: 'answered' }));
    const sections: Block[][] = [
      recognitionHome({
        balance: { left: 10, allowance: 100 },
        received: { count: 40, points: 400, latest: ids(3, 'k').map(() => ({ giver: LONG_NAME, message: long(1000), company_value: 'teamwork' })) },
        given: 12,
      }),
      checkinsHome({ open: { promptId: 'p1', period: PERIOD }, next: 'Fri, Dec 4', streak: 9, team: { period: PERIOD, answered: 3, expected: 40, waiting } }),
      oneOnOnesHome(
        ids(5, 'o').map((oneOnOneId) => ({
          oneOnOneId,
          withId: 'ana',
          when: 'Fri, Dec 4 at 10:00',
          items: ids(60, 'i').map((id) => ({ id, text: long(500), authorId: 'ana' })),
        })),
      ),
      feedbackHome(ids(5, 'r').map((id) => ({ id, topic: long(200), requester_id: 'gia' }))),
    ];
    const features = sections.map(
      (blocks, i) =>
        ({
          name: `f${i}`,
          help: [],
          home: async () => blocks,
          tryThis: { text: 'Try', button: { actionId: `try${i}`, label: 'Try it' } },
        }) as unknown as Feature,
    );
    const ctx = { actor: { display_name: LONG_NAME } } as HandlerContext;
    const [effect] = await homeHandlers(features, async () => undefined).show({ kind: 'home' } as never, ctx);
    const home = shown((effect as { message: Message }).message);
    expectToFit(home, true);
    // More than a Teams card holds: the card says some of it is left out.
    expect(JSON.stringify(renderTeams(home))).toContain('✂️ Not shown: ');
  });

  it('goals at their longest: a list of many, a deep tree, the weekly nudge and a manager summary of 40', () => {
    const goal = (i: number, extra: Partial<GoalRow> = {}): GoalRow => ({
      id: `g${i}`,
      org_id: 'o',
      owner_id: `p${i}`,
      owner_name: `${LONG_NAME} ${i}`,
      level: 'individual',
      title: long(150),
      why: long(500),
      unit: 'x'.repeat(30),
      start_value: 0,
      target_value: 1e12,
      current_value: 123456789.12,
      starts_on: '2026-01-01',
      due_on: '2026-12-31',
      visibility: i % 2 ? 'private' : 'public',
      parent_id: null,
      progress_from: 'own',
      weight: 1,
      created_by: 'p',
      platform: 'slack',
      workspace_id: 'T',
      idempotency_key: `k${i}`,
      created_at: new Date(0),
      ...extra,
    });
    const keyResults = ids(10, 'k').map((id) => ({ id, goal_id: 'g', title: long(100), target_value: 1e12, current_value: 5 }));
    const shownGoals: ShownGoal[] = ids(40, '').map((_, i) => ({ goal: goal(i), progress: 0.4, status: 'at_risk', parentTitle: long(150), keyResults }));
    expectWhole(shown(goalsMessage({ ownerId: 'p0', own: true, goals: shownGoals, updatable: true })));
    expectWhole(shown(nudgeMessage(shownGoals)));
    expectWhole(shown(atRiskMessage(shownGoals)));
    expectToFit({ summary: 'home', blocks: goalsHome(shownGoals.slice(0, 5)) }, true);
    const chain = (depth: number): TreeNode => ({
      shown: shownGoals[depth],
      children: depth < 20 ? [chain(depth + 1), chain(depth + 2 > 20 ? 20 : depth + 2)].slice(0, depth < 3 ? 2 : 1) : [],
    });
    expectToFit(treeMessage([chain(0)]));
  });

  it('a 360° report of 12 reviewers and the person × the largest set an org may set, every answer at its longest', () => {
    const questions = LARGEST_SET;
    const groups = ['self', 'manager', 'peer', 'peer', 'peer', 'peer', 'peer', 'report', 'report', 'report', 'other', 'other', 'other'] as const;
    const answers = groups.map((relationship, n) => ({
      relationship,
      ratings: Object.fromEntries(questions.competencies.map((c, i) => [c.id, 1 + ((n + i) % 5)])),
      texts: Object.fromEntries(questions.questions.map((q) => [q.id, long(1000)])),
    }));
    const selfAssessment = { submittedOn: '2026-06-15', ratings: Object.fromEntries(questions.competencies.slice(0, 8).map((c) => [c.id, 4])) };
    const report = buildReport(answers, { anonymous: true, minResponses: 3, questions, random: () => 0.5, selfAssessment });
    expectWhole(shown(reportMessage({ subjectId: 'p1', report, questions, declined: 2 })));
    const words = wordsMessages({ subjectId: 'p1', report });
    expect(words).toHaveLength(5);
    for (const message of words) expectWhole(shown(message));
  });

  it('a self-assessment of ten goals, every answer at its longest', () => {
    const assessment = {
      strengths: long(2000),
      growth: long(2000),
      goals: ids(10, 'g').map((goalId) => ({ goalId, title: long(150), rating: 3, reflection: long(1000) })),
      competencies: LARGEST_SET.competencies.map((c) => ({ ...c, rating: 5 })),
      answers: LARGEST_SELF_ANSWERS,
    };
    for (const message of selfAssessmentMessages({ personId: 'p1', submittedOn: '2026-06-15', assessment })) expectWhole(shown(message));
  });

  it("the org's largest 360° set and review questions: their settings, the reviewer's form and the self-assessment of ten goals fit a Slack modal and a Teams dialog whole", () => {
    expectWhole(feedback360Settings(LARGEST_SET, 20, '✅ 360° feedback settings saved.'));
    expectWhole(reviewQuestionsMessage(LARGEST_REVIEW_QUESTIONS, '✅ Review questions saved.'));
    const forms: Form[] = [
      reviewQuestionsForm(LARGEST_REVIEW_QUESTIONS),
      answer360Form({
        requestId: 'r1',
        subjectId: 'p1',
        subjectName: LONG_NAME,
        questions: LARGEST_SET,
        anonymous: true,
        minResponses: 20,
        asManager: false,
        asSelf: false,
        dueOn: PERIOD,
        draft: Object.fromEntries(LARGEST_SET.questions.map((q) => [`text_${q.id}`, long(1000)])),
      }),
      // Alone, and with a review cycle's own questions (fewer goals beside them).
      ...[
        { goals: GOALS_ASSESSED.alone, answers: [] },
        { goals: GOALS_ASSESSED.besideQuestions, answers: LARGEST_SELF_ANSWERS },
      ].map(({ goals, answers }) =>
        selfAssessmentForm(
          {
            strengths: long(2000),
            growth: long(2000),
            goals: ids(goals, 'g').map((goalId) => ({ goalId, title: long(150), rating: 3, reflection: long(1000) })),
            competencies: LARGEST_SET.competencies.map((c) => ({ ...c, rating: 4 })),
            answers,
          },
          { leftOut: ids(5, 'g').map(() => long(150)), draftSavedOn: PERIOD, lastSubmittedOn: PERIOD },
        ),
      ),
    ];
    for (const form of forms) {
      const modal = renderModal(form, '{}');
      expect(modal.blocks.length, form.formId).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
      const card = renderForm(form, { mode: 'dialog' });
      // A form is never cut (the renderer cuts messages to 28 KB): it must stay under Teams' refusal, with room for the activity around it.
      expect(
        cardLimitProblems(card).filter((p) => !p.endsWith(' bytes')),
        form.formId,
      ).toEqual([]);
      expect(cardBytes(card), form.formId).toBeLessThan(TEAMS_FORM_BYTES);
      for (const rendered of [modal, card]) expect(JSON.stringify(rendered), form.formId).not.toMatch(/…|Not shown: /);
      for (const field of form.fields)
        expect(
          card.body.some((e) => e.id === field.id),
          field.id,
        ).toBe(true);
    }
  });

  it('review cycles at their longest: 20 cycles, progress of 200 departments and managers, a reviewer of 40, the tasks of many cycles', () => {
    const name = long(80);
    const cycles = ids(20, 'c').map((id, i) => ({ id, name, closed: i % 2 === 0, participants: 5000, signed: 4999 }));
    expectWhole(shown(cyclesMessage(cycles, true)));
    expectWhole(shown(templatesMessage(cycles)));
    const tally = (label: string) => ({ label, done: 4999, total: 5000 });
    const phases = fromTemplate('annual', '2026-12-07').map((p) => ({ ...tally(p.kind), kind: p.kind, opensOn: p.opensOn, dueOn: p.dueOn }));
    const progress = progressMessage({
      cycleId: 'c1',
      name,
      closed: false,
      phases,
      current: 'manager_review',
      departments: ids(200, 'Department ').map((d) => tally(`${d} ${long(60)}`)),
      managers: ids(200, 'm').map((managerId) => ({ ...tally(''), managerId })),
      canManage: true,
    });
    expectWhole(shown(progress));
    const reports = ids(40, 'p').map((personId, i) => ({ personId, participantId: `part-${i}`, state: 'self_done' as const }));
    for (const nudge of ['opened', 'overdue'] as const) {
      expectWhole(shown(reviewerNudge({ cycleName: name, nudge, dueOn: '2026-12-18', reports })));
      expectWhole(shown(phaseNudge({ cycleName: name, kind: 'feedback_360', nudge, dueOn: '2026-12-18', participantId: 'p1' })));
    }
    expectWhole(shown(behindSummary({ cycleName: name, kind: 'self_assessment', dueOn: '2026-12-18', personIds: ids(200, 'p') })));
    const tasks = ids(8, 'c').flatMap((c) => [
      participantTask({ cycleName: `${c} ${name}`, kind: 'feedback_360', dueOn: '2026-12-18', state: 'not_started', participantId: c }),
      ...reports.map((r) =>
        reviewerTask({ cycleName: `${c} ${name}`, personId: r.personId, name: LONG_NAME, state: r.state, participantId: r.participantId, writing: true }),
      ),
    ]);
    expectWhole(shown(reviewTasksMessage({ draftSavedOn: '2026-12-01', cycleTasks: taskBlocks(tasks, 5) })));
  });

  it('a calibration of 600 people under 50 managers: names bounded per box, managers past the first cut, as HR and as an executive', () => {
    const rows: CalibrationRow[] = ids(600, 'p').map((personId, i) => ({
      participantId: `r${i}`,
      personId,
      reviewerId: `m${i % 50}`,
      state: 'manager_drafted',
      overall: (i % 5) + 1,
      calibrated: i % 7 === 0 ? 3 : null,
      potential: i % 11 === 0 ? null : (i % 3) + 1,
    }));
    const view = { cycleId: 'c1', cycleName: long(150), groupName: `${LONG_NAME}'s organisation`, rows };
    const named = calibrationMessage({ ...view, names: true });
    expectWhole(shown(named));
    const text = JSON.stringify(named.blocks);
    expect(text).toContain('and 42 more managers');
    expect(text).toMatch(/and \d+ more/);
    for (const block of named.blocks)
      if (block.type === 'section') expect(block.text.split('{person:').length - 1).toBeLessThanOrEqual(Math.max(NAMES_PER_BOX, 12));
    const counts = calibrationMessage({ ...view, names: false });
    expectWhole(counts);
    expect(JSON.stringify(counts.blocks)).not.toContain('{person:');
  });

  it('a manager review at its longest: its form, the context beside it, the shared review, the trail', () => {
    // The most HR's review questions may hold, every label at its longest: the form asks them all.
    const questions = LARGEST_REVIEW_QUESTIONS.manager_review;
    const document = {
      overall: 4,
      potential: 3,
      ratings: Object.fromEntries(questions.competencies.map((c) => [c.id, 5])),
      answers: Object.fromEntries(questions.questions.map((q) => [q.id, long(REVIEW_LIMITS.answer)])),
      narrative: long(REVIEW_LIMITS.narrative),
    };
    const summary = {
      periodFrom: '2025-06-01',
      goals: { count: 40, done: 10, onTrack: 10, atRisk: 10, behind: 10 },
      selfAssessmentOn: '2026-06-05',
      feedback360: { answers: 12, closedOn: '2026-06-01' },
      checkins: { asked: 52, answered: 50, mood: 3.8 },
      kudos: 120,
    };
    const form = reviewForm({
      participantId: 'p1',
      cycleName: long(150),
      questions,
      document,
      context: summary,
      draft: { version: 12, savedOn: '2026-06-15' },
    });
    const modal = renderModal(form, '{}');
    expect(modal.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(form.intro!.length).toBeLessThanOrEqual(SLACK_LIMITS.small);
    // In a dialog, and in place of the reviewer's card (Action.Execute), where the renderer would cut a form over 28 KB.
    for (const mode of ['dialog', 'inline'] as const) expect(cardBytes(renderForm(form, { mode })), mode).toBeLessThanOrEqual(TEAMS_LIMITS.cardBytes);

    expectWhole(
      shown(
        contextMessage({
          personId: 'p1',
          summary,
          goals: ids(40, 'g').map(() => ({ title: long(150), progress: '▰▰▰▰▰▱▱▱▱▱ 50%', status: '🔴 Behind' })),
          kudos: ids(CONTEXT_ROOM.kudos + 2, 'k').map((giverId) => ({ giverId, message: long(1000), on: '2026-06-01' })),
        }),
      ),
    );
    const review = {
      participantId: 'p1',
      personId: 'p1',
      managerId: 'm1',
      cycleName: long(150),
      questions,
      document,
      rating: 4,
      calibrated: true,
      submittedOn: '2026-06-15',
      comment: long(REVIEW_LIMITS.comment),
      signedOn: '2026-06-26',
      showPotential: true,
    };
    for (const message of reviewMessages(review, signOffBlocks('p1'))) expectWhole(shown(message));
    expectWhole(shown(submittedMessage({ participantId: 'p1', personId: 'p1', cycleName: long(150), waitsFor: '2026-06-25' })));
    const trail = ids(TRAIL_LINES + 20, 'e').map((actorId, i) => ({
      at: '2026-06-15 10:00',
      actorId,
      kind: i % 2 ? 'draft_saved' : 'review_submitted',
      version: i,
      rating: 3,
    }));
    expectWhole(shown(reviewHistoryMessage({ personId: 'p1', cycleName: long(150), trail })));
  });
});
