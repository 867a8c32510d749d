import type { Migration } from 'kysely';
import * as foundation from './0001_foundation';
import * as checkins from './0002_checkins';
import * as oneOnOnes from './0003_one_on_ones';
import * as allowanceGuard from './0004_allowance_guard';
import * as lighterKudosWrites from './0005_lighter_kudos_writes';
import * as orgChart from './0006_org_chart';
import * as home from './0007_home';
import * as orgSettings from './0008_org_settings';
import * as oneOnOneRemindersOrg from './0009_one_on_one_reminders_org';
import * as addressedNotifications from './0010_addressed_notifications';
import * as teamsRecognitionChannel from './0011_teams_recognition_channel';
import * as notificationFallback from './0012_notification_fallback';
import * as orgLinkCodes from './0013_org_link_codes';
import * as slackUninstalls from './0014_slack_uninstalls';
import * as goals from './0019_goals';
import * as selfAssessments from './0020_self_assessments';
import * as feedback360 from './0021_feedback_360';
import * as goalKeyResults from './0022_goal_key_results';
import * as reviewCycles from './0023_review_cycles';
import * as feedback360Settings from './0024_feedback_360_settings';
import * as reviewCycleRuns from './0025_review_cycle_runs';
import * as downloadLinks from './0026_download_links';
import * as reviewMeetings from './0027_review_meetings';
import * as reviewQuestions from './0028_review_questions';

/** Every migration, by name; Kysely runs them in name order. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_checkins': checkins,
  '0003_one_on_ones': oneOnOnes,
  '0004_allowance_guard': allowanceGuard,
  '0005_lighter_kudos_writes': lighterKudosWrites,
  '0006_org_chart': orgChart,
  '0007_home': home,
  '0008_org_settings': orgSettings,
  '0009_one_on_one_reminders_org': oneOnOneRemindersOrg,
  '0010_addressed_notifications': addressedNotifications,
  '0011_teams_recognition_channel': teamsRecognitionChannel,
  '0012_notification_fallback': notificationFallback,
  '0013_org_link_codes': orgLinkCodes,
  '0014_slack_uninstalls': slackUninstalls,
  '0019_goals': goals,
  '0020_self_assessments': selfAssessments,
  '0021_feedback_360': feedback360,
  '0022_goal_key_results': goalKeyResults,
  '0023_review_cycles': reviewCycles,
  '0024_feedback_360_settings': feedback360Settings,
  '0025_review_cycle_runs': reviewCycleRuns,
  '0026_download_links': downloadLinks,
  '0027_review_meetings': reviewMeetings,
  '0028_review_questions': reviewQuestions,
};
