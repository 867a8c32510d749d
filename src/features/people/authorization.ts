import type { Person } from '../../db/database';

/**
 * Who may do what with people's check-ins and teams. Handlers call these before every read or
 * write; the UI only hides what these refuse anyway.
 */

/** Set up or change the check-ins of the team managed by `managerId`. */
export const canConfigureTeam = (actor: Person, managerId: string) => actor.id === managerId || actor.is_hr_admin;

/**
 * Put `person` in the team of `managerId`: HR admins may put anyone; a manager only people who
 * report to nobody yet or already to them (they are told, and can leave).
 */
export const canAddToTeam = (actor: Person, person: Person, managerId: string) =>
  actor.is_hr_admin || person.manager_id === null || person.manager_id === managerId;

/** Read someone's check-in answers: themselves, their team's manager, HR admins. */
export const canReadCheckin = (actor: Person, owner: { personId: string; managerId: string }) =>
  actor.id === owner.personId || actor.id === owner.managerId || actor.is_hr_admin;

/** Write in the private thread of a check-in: only the two people it is between. */
export const canReplyToCheckin = (actor: Person, owner: { personId: string; managerId: string }) =>
  actor.id === owner.personId || actor.id === owner.managerId;

/** See a team's participation and digest: its manager and HR admins. */
export const canReadTeam = (actor: Person, managerId: string) => actor.id === managerId || actor.is_hr_admin;
