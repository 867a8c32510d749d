import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Platform } from '../chat/interaction';
import type { NotificationTarget } from '../chat/ports';
import type { Message } from '../chat/ui';

type CreatedAt = Generated<Date>;
export type { Platform };

export interface OrgsTable {
  id: Generated<string>;
  name: string;
  kudos_monthly_allowance: Generated<number>;
  company_values: ColumnType<string[], string[] | undefined, string[]>;
  slack_recognition_channel: string | null;
  created_at: CreatedAt;
}

export interface OrgWorkspacesTable {
  platform: Platform;
  external_id: string;
  org_id: string;
}

export interface PeopleTable {
  id: Generated<string>;
  org_id: string;
  display_name: string;
  email: string | null;
  timezone: Generated<string>;
  is_bot: Generated<boolean>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface IdentitiesTable {
  org_id: string;
  platform: Platform;
  platform_user_id: string;
  person_id: string;
  created_at: CreatedAt;
}

export interface SlackInstallationsTable {
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: boolean;
  installation: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

export interface TeamsConversationsTable {
  conversation_id: string;
  tenant_id: string | null;
  personal_user_id: string | null;
  reference: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
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
}



export interface NotificationsTable {
  id: Generated<string>;
  org_id: string;
  dedupe_key: string;
  platform: Platform;
  target: ColumnType<NotificationTarget, string, string>;
  message: ColumnType<Message, string, string>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  claimed_until: Date | null;
  sent_at: Date | null;
  platform_message_id: string | null;
  last_error: string | null;
  created_at: CreatedAt;
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
}

export type Org = Selectable<OrgsTable>;
export type Person = Selectable<PeopleTable>;
export type NewNotification = Insertable<NotificationsTable>;
