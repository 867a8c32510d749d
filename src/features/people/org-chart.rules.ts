import type { DirectoryUser } from '../../chat/interaction';
import type { Role } from '../../db/database';
import { ROLES } from './authorization';

/** What an HR admin can set on a person, one field at a time or from an import row. */
export type OrgChartField = 'manager' | 'department' | 'title' | 'role';
export const ORG_CHART_FIELDS: readonly OrgChartField[] = ['manager', 'department', 'title', 'role'];

export const MAX_LABEL = 100;

/** Words people type for a role, to the role. */
const ROLE_WORDS: Record<string, Role> = {
  employee: 'employee',
  manager: 'manager',
  hr: 'hr_admin',
  'hr admin': 'hr_admin',
  hr_admin: 'hr_admin',
  'hr-admin': 'hr_admin',
  executive: 'executive',
  exec: 'executive',
};

export function parseRole(text: string): Role | undefined {
  return ROLE_WORDS[text.trim().toLowerCase().replace(/\s+/g, ' ')];
}

export const roleLabel = (role: Role) => ({ employee: 'employee', manager: 'manager', hr_admin: 'HR admin', executive: 'executive' })[role];

export const ROLE_CHOICES = ROLES.map((r) => roleLabel(r)).join(', ');

/**
 * Whether making `managerId` the manager of `personId` would close a loop: the new manager is the
 * person, or reports to them somewhere up the chart. `managersOfManager`: the new manager's managers, nearest first.
 */
export const wouldLoop = (personId: string, managerId: string, managersOfManager: string[]) => managerId === personId || managersOfManager.includes(personId);

/**
 * Whether the platform makes someone an HR admin while no HR admin has chosen their role: workspace
 * admins and owners (Slack), and the people HR_ADMIN_EMAILS names.
 */
export function hrAdminByPlatform(user: Pick<DirectoryUser, 'isAdmin' | 'email'>, hrAdminEmails: readonly string[]): boolean {
  return Boolean(user.isAdmin) || (user.email !== undefined && hrAdminEmails.includes(user.email.trim().toLowerCase()));
}

/**
 * The role the platform's word gives someone whose role no HR admin chose: an HR admin while it says
 * so; when it stops, back to manager (if they have reports) or employee. Other roles it leaves alone.
 */
export function roleFromPlatform(current: Role, hrByPlatform: boolean, hasReports: boolean): Role {
  if (hrByPlatform) return 'hr_admin';
  if (current !== 'hr_admin') return current;
  return hasReports ? 'manager' : 'employee';
}
