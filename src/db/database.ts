import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Platform } from '../chat/interaction';
import type { NotificationTarget, OutgoingNotification } from '../chat/ports';
import type { Message } from '../chat/ui';

type CreatedAt = Generated<Date>;
export type Role = 'employee' | 'manager' | 'hr_admin' | 'executive';
export type { Platform };

/** No org_id: a row is the org itself. */
export interface OrgsTable {
  id: Generated<string>;
  name: string;
  kudos_monthly_allowance: Generated<number>;
  company_values: ColumnType<string[], string[] | undefined, string[]>;
  /** Slack: the channel kudos given in a DM are posted in. */
  slack_recognition_channel: string | null;
  /** Teams: the channel (its conversation id, no thread) kudos given in a 1:1 chat with the bot are posted in. */
  teams_recognition_channel: string | null;
  /** Its name when an HR admin chose it ("Contoso › Recognition"), for the giver's confirmation; none when Teams didn't say. */
  teams_recognition_channel_name: string | null;
  /** IANA name, for people whose platform tells no timezone. */
  default_timezone: Generated<string>;
  /** Reminders wait for working hours: from this hour to that one, Monday to Friday, in each person's timezone. */
  work_start_hour: Generated<number>;
  work_end_hour: Generated<number>;
  /** Answers an anonymous 360° group needs before it is shown (0021). */
  feedback_min_responses: Generated<number>;
  /** The org's own 360° question set, copied into each new request; none: the default set (0024). */
  feedback_questions: ColumnType<QuestionSet | null, string | null | undefined, string | null>;
  /** The org's own review questions, copied into each new review cycle; none: the defaults (0028). */
  review_questions: ColumnType<ReviewQuestions | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface OrgWorkspacesTable {
  platform: Platform;
  external_id: string;
  org_id: string;
  /** The app was removed from this workspace then; a reinstall clears it (see `retention/`). */
  removed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PeopleTable {
  id: Generated<string>;
  org_id: string;
  display_name: string;
  email: string | null;
  timezone: Generated<string>;
  is_bot: Generated<boolean>;
  active: Generated<boolean>;
  manager_id: string | null;
  department: string | null;
  title: string | null;
  role: Generated<Role>;
  /** An HR admin chose the role; the platform's admin flag no longer changes it. */
  role_set_by_hr: Generated<boolean>;
  /** `YYYY-MM-DD`, the last day away, in their timezone. */
  away_until: ColumnType<string | null, string | null, string | null>;
  created_at: CreatedAt;
}

export interface IdentitiesTable {
  org_id: string;
  platform: Platform;
  platform_user_id: string;
  person_id: string;
  created_at: CreatedAt;
}

/** No org_id: Bolt stores an install, keyed by workspace or enterprise, before any org exists; org_workspaces maps it to one. */
export interface SlackInstallationsTable {
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: boolean;
  installation: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

/** No org_id: the Teams adapter keeps a conversation, keyed by its id and tenant, before any org exists; org_workspaces maps the tenant. */
export interface TeamsConversationsTable {
  conversation_id: string;
  tenant_id: string | null;
  personal_user_id: string | null;
  reference: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

/** A one-time code an HR admin of the org gave out to link it with another (migration 0013): its hash only. */
export interface OrgLinkCodesTable {
  org_id: string;
  code_sha256: string;
  issued_by: string;
  /** The interaction that asked for it: a retry of it gets no second code. */
  idempotency_key: string;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface KudosTable {
  id: Generated<string>;
  org_id: string;
  giver_id: string;
  points_each: number;
  company_value: string | null;
  message: string;
  platform: Platform;
  allowance_period: string;
  idempotency_key: string;
  created_at: CreatedAt;
}

export interface KudosRecipientsTable {
  kudos_id: string;
  org_id: string;
  person_id: string;
  points: number;
}

export interface PointAllowancesTable {
  org_id: string;
  person_id: string;
  period: string;
  spent: Generated<number>;
  /** The monthly allowance when last spent; a check keeps `spent` within it. */
  allowance: number | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  org_id: string;
  dedupe_key: string;
  platform: Platform;
  target: ColumnType<NotificationTarget, string, string>;
  message: ColumnType<Message, string, string>;
  /** What is recorded and sent instead when this one is undeliverable (`OutgoingNotification.ifUndeliverable`). */
  if_undeliverable: ColumnType<OutgoingNotification | null, string | null | undefined, string | null>;
  /** `failed`: its last attempt failed; `undeliverable`: its platform can never take it (given up at once). */
  status: Generated<'pending' | 'sent' | 'failed' | 'undeliverable'>;
  attempts: Generated<number>;
  claimed_until: Date | null;
  sent_at: Date | null;
  platform_message_id: string | null;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface CheckinTeamsTable {
  id: Generated<string>;
  org_id: string;
  manager_id: string;
  every: 'week' | 'two_weeks';
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  local_time: string;
  anchor_date: ColumnType<string, string, string>;
  reminder_hours: Generated<number>;
  deadline_hours: Generated<number>;
  /** Where prompts and digests go. */
  platform: Platform;
  workspace_id: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface CheckinMembersTable {
  team_id: string;
  org_id: string;
  person_id: string;
  added_at: CreatedAt;
}

export type QuestionKind = 'rating' | 'text' | 'choice';

export interface CheckinQuestionsTable {
  id: Generated<string>;
  team_id: string;
  org_id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  options: string[] | null;
  role: 'mood' | 'blockers' | null;
  archived: Generated<boolean>;
}

export type PromptStatus = 'sent' | 'answered' | 'skipped';

export interface CheckinPromptsTable {
  id: Generated<string>;
  org_id: string;
  team_id: string;
  person_id: string;
  period: ColumnType<string, string, string>;
  due_at: Date;
  status: Generated<PromptStatus>;
  skip_reason: string | null;
  snoozed_until: Date | null;
  snoozes: Generated<number>;
  reminded: Generated<boolean>;
  answered_at: Date | null;
  created_at: CreatedAt;
}

export interface CheckinAnswersTable {
  prompt_id: string;
  question_id: string;
  org_id: string;
  value: string;
}

export interface CheckinDigestsTable {
  team_id: string;
  period: ColumnType<string, string, string>;
  org_id: string;
  sent_at: Generated<Date>;
}

export interface CheckinRepliesTable {
  id: Generated<string>;
  org_id: string;
  prompt_id: string;
  author_id: string;
  text: string;
  idempotency_key: string;
  created_at: CreatedAt;
}

export interface FeedbackTable {
  id: Generated<string>;
  org_id: string;
  giver_id: string;
  recipient_id: string;
  kind: 'praise' | 'suggestion';
  text: string;
  request_id: string | null;
  thanked_at: Date | null;
  idempotency_key: string;
  created_at: CreatedAt;
}

export interface FeedbackRequestsTable {
  id: Generated<string>;
  org_id: string;
  requester_id: string;
  topic: string;
  idempotency_key: string;
  created_at: CreatedAt;
}

/** Who a feedback request asked. */
export interface FeedbackRequestRecipientsTable {
  request_id: string;
  org_id: string;
  person_id: string;
}

export interface OrgImportsTable {
  id: Generated<string>;
  org_id: string;
  admin_id: string;
  idempotency_key: string;
  file_name: string;
  file_sha256: string;
  /** The dry run's plan (`ImportPlan`), applied as shown. */
  plan: ColumnType<unknown, string, never>;
  created_at: Date;
  applied_at: Date | null;
  applied_by: string | null;
}

export interface OneOnOnesTable {
  id: Generated<string>;
  org_id: string;
  manager_id: string;
  report_id: string;
  every: 'week' | 'two_weeks';
  weekday: number;
  /** `HH:mm` in the manager's timezone. */
  local_time: string;
  anchor_date: string;
  platform: Platform;
  workspace_id: string;
  created_at: CreatedAt;
}

export interface AgendaItemsTable {
  id: Generated<string>;
  org_id: string;
  one_on_one_id: string;
  author_id: string;
  text: string;
  done_at: Date | null;
  idempotency_key: string;
  created_at: CreatedAt;
}

export interface OneOnOneRemindersTable {
  one_on_one_id: string;
  org_id: string;
  meeting_date: string;
  sent_at: Generated<Date>;
}

export type GoalLevel = 'company' | 'team' | 'individual';

export interface GoalsTable {
  id: Generated<string>;
  org_id: string;
  owner_id: string;
  level: GoalLevel;
  title: string;
  why: string | null;
  unit: string | null;
  start_value: number;
  target_value: number;
  current_value: number;
  /** `YYYY-MM-DD`, the app's date when it was set. */
  starts_on: string;
  due_on: string;
  visibility: 'public' | 'private';
  parent_id: string | null;
  progress_from: Generated<'own' | 'children'>;
  weight: Generated<number>;
  created_by: string;
  /** Where it was set: where its owner's weekly nudge goes. */
  platform: Platform;
  workspace_id: string;
  idempotency_key: string;
  created_at: CreatedAt;
}

export interface GoalKeyResultsTable {
  id: Generated<string>;
  org_id: string;
  goal_id: string;
  position: number;
  title: string;
  target_value: number;
  current_value: Generated<number>;
}

export interface GoalUpdatesTable {
  id: Generated<string>;
  org_id: string;
  goal_id: string;
  author_id: string;
  value: number;
  note: string | null;
  updated_at: Date;
  idempotency_key: string;
  /** The key result this update moved (its value is the key result's), if any. */
  key_result_id: string | null;
}

export interface SelfAssessmentsTable {
  id: Generated<string>;
  org_id: string;
  person_id: string;
  strengths: string | null;
  growth: string | null;
  /** Null while it is a draft; set once, when it is submitted and locked. */
  submitted_at: Date | null;
  /** The idempotency key of the interaction that submitted it. */
  submitted_key: string | null;
  updated_at: Date;
  platform: Platform;
  workspace_id: string;
  /** The 360° competencies rated (0024): each with its label then, so a later edit of the set doesn't change it. */
  competency_ratings: ColumnType<CompetencyRating[], string | undefined, string>;
  /** Answers to its review cycle's self-assessment questions (0028): each with its label then, as the row names no cycle. */
  answers: ColumnType<SelfAnswer[], string | undefined, string>;
}

/** An answer to one of a review cycle's self-assessment questions. */
export interface SelfAnswer {
  id: string;
  label: string;
  text: string;
}

/** A self-rating of one 360° competency, 1–5. */
export interface CompetencyRating {
  id: string;
  label: string;
  rating: number;
}

export interface SelfAssessmentGoalsTable {
  assessment_id: string;
  org_id: string;
  goal_id: string;
  goal_title: string;
  rating: number | null;
  reflection: string | null;
}

/** How a 360° reviewer stands to the person the feedback is about. */
export type FeedbackRelationship = 'self' | 'manager' | 'peer' | 'report' | 'other';

/** A 360° question set: competencies rated 1–5, and open questions. */
export interface QuestionSet {
  competencies: Array<{ id: string; label: string }>;
  questions: Array<{ id: string; label: string }>;
}

/** An org's review questions: the manager review's set, and the open questions of a cycle's self-assessment. */
export interface ReviewQuestions {
  manager_review: QuestionSet;
  self_assessment: Pick<QuestionSet, 'questions'>;
}

export interface Feedback360RequestsTable {
  id: Generated<string>;
  org_id: string;
  subject_id: string;
  requested_by: string;
  due_on: string;
  anonymous: boolean;
  min_responses: number;
  questions: ColumnType<QuestionSet, string, string>;
  closed_at: Date | null;
  platform: Platform;
  workspace_id: string;
  idempotency_key: string;
  created_at: CreatedAt;
  /** The review cycle participant it was asked for from the cycle's 360° phase, if any (0025). */
  participant_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Feedback360ReviewersTable {
  request_id: string;
  org_id: string;
  reviewer_id: string;
  relationship: FeedbackRelationship;
  status: Generated<'invited' | 'answered' | 'declined'>;
  decline_reason: string | null;
  reminded: Generated<boolean>;
}

/** An answer; anonymous ones carry no reviewer (see migration 0021). */
export interface Feedback360AnswersTable {
  id: Generated<string>;
  request_id: string;
  org_id: string;
  relationship: FeedbackRelationship;
  ratings: ColumnType<Record<string, number>, string, string>;
  texts: ColumnType<Record<string, string>, string, string>;
  reviewer_id: string | null;
}

export interface Feedback360DraftsTable {
  request_id: string;
  org_id: string;
  reviewer_id: string;
  values: ColumnType<Record<string, string>, string, string>;
}

/** Who a review cycle is for. */
export type CycleAudience = { kind: 'everyone' } | { kind: 'departments'; departments: string[] } | { kind: 'people'; personIds: string[] };

export type ReviewPhaseKind = 'self_assessment' | 'feedback_360' | 'manager_review' | 'calibration' | 'sign_off';

/** Where a participant stands in their cycle (the moves are in features/reviews/cycle.rules.ts). */
export type ParticipantState = 'not_started' | 'self_done' | 'feedback_in' | 'manager_drafted' | 'shared' | 'signed';

export interface ReviewCyclesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  audience: ColumnType<CycleAudience, string, string>;
  repeat_months: number | null;
  repeats_id: string | null;
  created_by: string;
  idempotency_key: string;
  closed_at: Date | null;
  platform: Platform;
  workspace_id: string;
  created_at: CreatedAt;
}

export interface ReviewPhasesTable {
  cycle_id: string;
  org_id: string;
  kind: ReviewPhaseKind;
  opens_on: string;
  due_on: string;
  /** The phase's form: competencies rated 1–5 and open questions. */
  questions: ColumnType<QuestionSet, string, string>;
}

export interface ReviewParticipantsTable {
  id: Generated<string>;
  org_id: string;
  cycle_id: string;
  person_id: string;
  reviewer_id: string | null;
  state: Generated<ParticipantState>;
  updated_at: Generated<Date>;
}

/** The manager's review of one participant: a draft until submitted; sign-off locks it. */
export interface ManagerReviewsTable {
  participant_id: string;
  org_id: string;
  overall_rating: number | null;
  calibrated_rating: number | null;
  potential: number | null;
  ratings: ColumnType<Record<string, number>, string | undefined, string>;
  answers: ColumnType<Record<string, string>, string | undefined, string>;
  narrative: string | null;
  employee_comment: string | null;
  version: Generated<number>;
  submitted_at: Date | null;
  shared_at: Date | null;
  signed_at: Date | null;
  updated_at: Date;
}

/** One participant's own deadline for a phase, set by HR (0025): it replaces the phase's `due_on` for them. */
export interface ReviewDeadlineOverridesTable {
  participant_id: string;
  org_id: string;
  kind: ReviewPhaseKind;
  due_on: string;
  set_by: string;
}

/** The append-only trail of a participant's review: every move, version, calibration and sign-off. */
export interface ReviewEventsTable {
  id: Generated<string>;
  org_id: string;
  participant_id: string;
  actor_id: string | null;
  kind: string;
  from_state: ParticipantState | null;
  to_state: ParticipantState | null;
  reason: string | null;
  snapshot: ColumnType<unknown, string | null, never>;
  idempotency_key: string | null;
  at: Date;
}

/** The review conversation between a participant and their manager (0027). */
export interface ReviewMeetingsTable {
  participant_id: string;
  org_id: string;
  manager_id: string;
  person_id: string;
  starts_at: Date;
  scheduled_at: Date;
  scheduled_by: string;
  cancelled_at: Date | null;
  platform: Platform;
  workspace_id: string;
}

/** A file handed out through a short-lived link (migration 0026): the key's hash only. */
export interface DownloadLinksTable {
  id: string;
  org_id: string;
  platform_user_id: string;
  key_sha256: string;
  name: string;
  mime_type: string;
  content: Buffer;
  expires_at: Date;
}

export interface Database {
  orgs: OrgsTable;
  org_workspaces: OrgWorkspacesTable;
  people: PeopleTable;
  identities: IdentitiesTable;
  slack_installations: SlackInstallationsTable;
  teams_conversations: TeamsConversationsTable;
  kudos: KudosTable;
  kudos_recipients: KudosRecipientsTable;
  point_allowances: PointAllowancesTable;
  notifications: NotificationsTable;
  checkin_teams: CheckinTeamsTable;
  checkin_members: CheckinMembersTable;
  checkin_questions: CheckinQuestionsTable;
  checkin_prompts: CheckinPromptsTable;
  checkin_answers: CheckinAnswersTable;
  checkin_digests: CheckinDigestsTable;
  checkin_replies: CheckinRepliesTable;
  feedback: FeedbackTable;
  feedback_requests: FeedbackRequestsTable;
  feedback_request_recipients: FeedbackRequestRecipientsTable;
  one_on_ones: OneOnOnesTable;
  org_imports: OrgImportsTable;
  org_link_codes: OrgLinkCodesTable;
  agenda_items: AgendaItemsTable;
  one_on_one_reminders: OneOnOneRemindersTable;
  goals: GoalsTable;
  goal_updates: GoalUpdatesTable;
  goal_key_results: GoalKeyResultsTable;
  self_assessments: SelfAssessmentsTable;
  self_assessment_goals: SelfAssessmentGoalsTable;
  review_cycles: ReviewCyclesTable;
  review_phases: ReviewPhasesTable;
  review_participants: ReviewParticipantsTable;
  manager_reviews: ManagerReviewsTable;
  review_events: ReviewEventsTable;
  review_deadline_overrides: ReviewDeadlineOverridesTable;
  review_meetings: ReviewMeetingsTable;
  download_links: DownloadLinksTable;
  feedback_360_requests: Feedback360RequestsTable;
  feedback_360_reviewers: Feedback360ReviewersTable;
  feedback_360_answers: Feedback360AnswersTable;
  feedback_360_drafts: Feedback360DraftsTable;
}

export type Org = Selectable<OrgsTable>;
export type Person = Selectable<PeopleTable>;
export type Goal = Selectable<GoalsTable>;
