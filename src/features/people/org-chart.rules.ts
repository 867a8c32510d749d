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
export const wouldLoop = (personId: string, managerId: string, managersOfManager: string[]) =>
  managerId === personId || managersOfManager.includes(personId);
