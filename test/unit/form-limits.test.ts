import { describe, expect, it } from 'vitest';
import { renderModal } from '../../src/adapters/slack/render';
import { renderForm } from '../../src/adapters/teams/render';
import type { Form, FormField } from '../../src/chat/ui';
import type { Org } from '../../src/db/database';
import type { Db } from '../../src/db/connect';
import { settingsForm } from '../../src/features/admin/settings.views';
import { answerForm, replyForm, setupForm, skipForm } from '../../src/features/checkins/checkins.views';
import { feedbackForm } from '../../src/features/feedback/feedback.views';
import { DEFAULT_QUESTIONS } from '../../src/features/feedback/feedback360.rules';
import { answerForm as answer360Form, declineForm, requestForm, settingsForm as feedback360SettingsForm } from '../../src/features/feedback/feedback360.views';
import { goalForm, updateForm } from '../../src/features/goals/goals.views';
import { CAPABILITIES } from '../../src/features';
import { addPointForm } from '../../src/features/one-on-ones/one-on-ones.views';
import { importForm } from '../../src/features/people/org-import.views';
import { kudosForm } from '../../src/features/recognition/recognition.views';
import { calibrateForm, moveForm } from '../../src/features/reviews/calibration.views';
import { meetingForm } from '../../src/features/reviews/meeting.views';
import { commentForm, reviewForm } from '../../src/features/reviews/manager-review.views';
import { selfAssessmentForm } from '../../src/features/reviews/self-assessment.views';
import { DEFAULT_REVIEW_QUESTIONS } from '../../src/features/reviews/review-questions.rules';
import { reviewQuestionsForm } from '../../src/features/reviews/review-questions.views';
import { fromTemplate } from '../../src/features/reviews/cycle-plan.rules';
import { cycleForm, extendForm } from '../../src/features/reviews/cycles.views';

const id = '7d0f7c9e-3c1a-4b55-9a57-2a1f0b9a6e01';
const org = {
  id,
  name: 'Acme',
  kudos_monthly_allowance: 100,
  company_values: ['teamwork'],
  slack_recognition_channel: null,
  teams_recognition_channel: null,
  teams_recognition_channel_name: null,
  default_timezone: 'Europe/Lisbon',
  work_start_hour: 9,
  work_end_hour: 18,
  created_at: new Date(0),
} as Org;

/** Every form a feature builds, each built as a person meets it (a check-in asks text questions too). */
const FORMS: Form[] = [
  kudosForm(['teamwork'], 40, 100),
  feedbackForm({ recipient: 'U1', requestId: id, topic: 'the demo' }),
  answerForm(id, '2026-11-27', [
    { id: 'q1', kind: 'rating', prompt: 'How are you?', options: ['5'] },
    { id: 'q2', kind: 'text', prompt: 'What went well?', options: null },
  ]),
  skipForm(id),
  replyForm(id, 'Ana'),
  setupForm({ managerId: id, memberIds: ['U1'], every: 'week', weekday: 5, localTime: '15:00', questions: 'What went well?' }),
  addPointForm(id, 'Ana'),
  settingsForm(org, 'slack'),
  settingsForm(org, 'teams'),
  importForm(),
  goalForm({ levels: ['individual', 'team'], owner: 'U1' }),
  updateForm({ goals: [], keyResults: [] }),
  requestForm({ subjectId: id, subjectName: 'Ana', suggested: ['U1', 'U2', 'U3'], due: '2026-12-24' }),
  answer360Form({
    requestId: id,
    subjectId: id,
    subjectName: 'Ana',
    questions: DEFAULT_QUESTIONS,
    anonymous: true,
    minResponses: 3,
    asManager: false,
    asSelf: false,
    dueOn: '2026-12-24',
  }),
  declineForm(id, 'Ana'),
  feedback360SettingsForm(DEFAULT_QUESTIONS, 3),
  selfAssessmentForm(
    {
      strengths: null,
      growth: null,
      goals: [{ goalId: id, title: 'Launch', rating: null, reflection: null }],
      competencies: DEFAULT_QUESTIONS.competencies.map((c) => ({ ...c, rating: null })),
      answers: [{ id: 'proud', label: 'What are you proudest of?', text: null }],
    },
    {},
  ),
  reviewQuestionsForm({ ...DEFAULT_REVIEW_QUESTIONS, self_assessment: { questions: [{ id: 'proud', label: 'What are you proudest of?' }] } }),
  cycleForm({ name: 'Annual review', phases: fromTemplate('annual', '2026-12-07'), repeat: '12', departments: ['Design', 'Sales'] }),
  extendForm({ cycleId: id, name: 'Annual review', phases: [{ kind: 'self_assessment', due_on: '2026-12-18' }] }),
  calibrateForm([{ id, name: 'H1' }], [{ kind: 'department', name: 'Design' }]),
  moveForm(id, 'H1'),
  meetingForm({ participantId: id, personName: 'Ana', zoneSaid: 'in your timezone (Europe/Lisbon)' }),
  reviewForm({
    participantId: id,
    cycleName: 'H1',
    questions: DEFAULT_QUESTIONS,
    document: { overall: null, potential: null, ratings: {}, answers: {}, narrative: null },
    context: { periodFrom: '2026-01-01', goals: { count: 0, done: 0, onTrack: 0, atRisk: 0, behind: 0 }, checkins: { asked: 0, answered: 0 }, kudos: 0 },
  }),
  commentForm(id, null),
];

/** The form ids the features take submissions of, as the app builds them. */
function formIdsTaken(): string[] {
  const deps = {
    db: {} as Db,
    clock: { now: () => new Date(0) },
    enqueue: async () => {},
    sendRecorded: async () => {},
    hrAdminEmails: [],
    limits: { kudosRecipients: 20 },
    help: () => ({ summary: '', blocks: [] }),
  } as unknown as Parameters<(typeof CAPABILITIES)[number]>[0];
  return CAPABILITIES.flatMap((capability) => Object.keys(capability(deps).forms ?? {}));
}

const textFields = (form: Form) =>
  form.fields.filter((f): f is Extract<FormField, { kind: 'text' | 'multiline' }> => f.kind === 'text' || f.kind === 'multiline');
const stated = (maxLength: number) => `Up to ${maxLength.toLocaleString('en-US')} characters.`;

describe('free-text fields', () => {
  it('are checked here for every form a feature takes', () => {
    expect(new Set(FORMS.map((f) => f.formId))).toEqual(new Set(formIdsTaken()));
  });

  it('each have a limit within what Slack and Teams inputs take, and state it at the field', () => {
    const fields = FORMS.flatMap(textFields);
    expect(fields.length).toBeGreaterThanOrEqual(10);
    for (const field of fields) {
      expect(Number.isInteger(field.maxLength) && field.maxLength > 0 && field.maxLength <= 3_000, field.id).toBe(true);
      expect(field.hint, `${field.id} states its limit`).toContain(stated(field.maxLength));
    }
  });

  it('show their limit on both platforms: Slack’s max_length and hint, Teams’ maxLength and the line under the input', () => {
    for (const form of FORMS) {
      const modal = renderModal(form, '{}');
      const card = renderForm(form, { mode: 'dialog' });
      for (const field of textFields(form)) {
        const block = modal.blocks.find((b) => b.block_id === field.id) as { element: { max_length?: number }; hint?: { text: string } };
        expect(block.element.max_length).toBe(field.maxLength);
        expect(block.hint?.text).toContain(stated(field.maxLength));
        const at = card.body.findIndex((e) => e.id === field.id);
        expect(card.body[at]).toMatchObject({ type: 'Input.Text', maxLength: field.maxLength });
        expect(card.body[at + 1]).toMatchObject({ type: 'TextBlock', text: expect.stringContaining(stated(field.maxLength)) });
      }
    }
  });
});
