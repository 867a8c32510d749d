import { NotAllowed } from '../../chat/errors';
import type { HandlerContext } from '../../chat/feature';
import type { Person, Role } from '../../db/database';

/**
 * Who may do what: one policy, read by every handler before it reads or writes. An answer depends
 * on the actor's role and on how the actor stands to the person the action is about, in the org
 * chart. The UI only hides what this refuses anyway. A new capability adds its actions here, and
 * rows to the matrix test.
 */

export const ROLES: readonly Role[] = ['employee', 'manager', 'hr_admin', 'executive'];

/** The person an action is about, with their managers up the chart, nearest first. */
export type Subject = Pick<Person, 'id' | 'org_id'> & { managers: string[] };

export type Relationship =
  | 'self'
  /** The actor is the subject's direct manager. */
  | 'manager'
  /** The actor manages the subject's manager, or someone above. */
  | 'manager_chain'
  /** The subject is the actor's direct manager. */
  | 'report'
  /** Same direct manager. */
  | 'peer'
  /** Anyone else in the org. */
  | 'colleague'
  | 'other_org';

export function relationshipOf(actor: Pick<Person, 'id' | 'org_id' | 'manager_id'>, subject: Subject): Relationship {
  if (actor.org_id !== subject.org_id) return 'other_org';
  if (actor.id === subject.id) return 'self';
  if (subject.managers[0] === actor.id) return 'manager';
  if (subject.managers.includes(actor.id)) return 'manager_chain';
  if (actor.manager_id === subject.id) return 'report';
  if (actor.manager_id !== null && actor.manager_id === subject.managers[0]) return 'peer';
  return 'colleague';
}

interface Rule {
  allows(role: Role, relationship: Relationship): boolean;
  /** Told to someone refused, in words that help them. */
  refusal: string;
}

const managerChain = (r: Relationship) => r === 'manager' || r === 'manager_chain';

export const POLICY = {
  /** Set up check-ins for the team of the subject (a manager): themselves, or an HR admin. */
  'checkins.configure': {
    allows: (role, r) => r === 'self' || role === 'hr_admin',
    refusal: 'Only a manager, or an HR admin, can set up their team’s check-ins.',
  },
  /** Put someone in a check-in team whatever the org chart says. */
  'checkins.add_anyone': {
    allows: (role) => role === 'hr_admin',
    refusal: 'Only an HR admin can add someone who reports to another manager. Ask HR to change the org chart.',
  },
  /** Read the subject's check-in answers: themselves, their manager chain, HR admins. Never executives: they see aggregates. */
  'checkins.read_answers': {
    allows: (role, r) => r === 'self' || managerChain(r) || role === 'hr_admin',
    refusal: 'Only the person, their managers and HR can read these answers.',
  },
  /** Write in the private thread of the subject's check-in: the two people it is between. */
  'checkins.reply': {
    allows: (_role, r) => r === 'self' || r === 'manager',
    refusal: 'Only the person and their manager can write about a check-in.',
  },
  /** Schedule the subject's 1:1 with their manager. */
  'one_on_one.schedule': {
    allows: (role, r) => r === 'manager' || role === 'hr_admin',
    refusal: 'Only their manager, or an HR admin, can set up their 1:1. The org chart says who manages whom: {typed:hepo org}.',
  },
  /** The 1:1 agenda between the subject and their manager. */
  'one_on_one.agenda': {
    allows: (_role, r) => r === 'self' || r === 'manager',
    refusal: 'Only the two people in a 1:1 see its agenda.',
  },
  /** Give the subject private feedback: anyone in the org but themselves. */
  'feedback.give': {
    allows: (_role, r) => r !== 'self',
    refusal: 'You can give feedback to colleagues in your organization, not to yourself.',
  },
  /** Read feedback the subject received: only them (givers see what they gave). */
  'feedback.read': {
    allows: (_role, r) => r === 'self',
    refusal: 'Feedback is private to the person who received it.',
  },
  /** Thank for feedback the subject received: only them. */
  'feedback.thank': {
    allows: (_role, r) => r === 'self',
    refusal: 'Only the person who received this feedback can thank for it.',
  },
  /** Set company goals (the subject is the whole org): HR admins and executives. */
  'goals.create_company': {
    allows: (role) => role === 'hr_admin' || role === 'executive',
    refusal: 'Company goals are set by HR admins and executives. You can align your goals to them.',
  },
  /** Set team goals: managers, HR admins and executives. */
  'goals.create_team': {
    allows: (role) => role === 'manager' || role === 'hr_admin' || role === 'executive',
    refusal: 'Team goals are set by managers. You can set your own goal and align it to your team’s.',
  },
  /** Set a goal the subject owns: themselves, their managers, HR admins. */
  'goals.set_for': {
    allows: (role, r) => r === 'self' || managerChain(r) || role === 'hr_admin',
    refusal: 'You can set goals for yourself and the people you manage.',
  },
  /** See the subject's public goals: anyone in the org. */
  'goals.read': {
    allows: () => true,
    refusal: 'Goals are seen inside the organization only.',
  },
  /** See the subject's private goals: only them and their manager chain. */
  'goals.read_private': {
    allows: (_role, r) => r === 'self' || managerChain(r),
    refusal: 'That goal is private to its owner and their managers.',
  },
  /** Update the progress of the subject's goal: them, their managers, HR admins (company goals). */
  'goals.update': {
    allows: (role, r) => r === 'self' || managerChain(r) || role === 'hr_admin',
    refusal: 'Only the goal’s owner and their managers can update its progress.',
  },
  /** Write a self-assessment about the subject: only themselves. */
  'review.self_assess': {
    allows: (_role, r) => r === 'self',
    refusal: 'A self-assessment is written by the person themselves.',
  },
  /** Read the subject's submitted self-assessment: them, their manager chain, HR admins. */
  'review.read_self_assessment': {
    allows: (role, r) => r === 'self' || managerChain(r) || role === 'hr_admin',
    refusal: 'Only the person, their managers and HR can read a self-assessment.',
  },
  /** Ask for 360° feedback about the subject: themselves, their managers, HR admins. */
  'feedback360.request': {
    allows: (role, r) => r === 'self' || managerChain(r) || role === 'hr_admin',
    refusal: 'You can ask for 360° feedback about yourself and the people you manage.',
  },
  /** Answer a 360° request about the subject: anyone in the org it asks (the request names them). */
  'feedback360.answer': {
    allows: () => true,
    refusal: 'Only the people a request asks can answer it.',
  },
  /** Receive the 360° report about the subject: them and their direct manager. */
  'feedback360.read_report': {
    allows: (_role, r) => r === 'self' || r === 'manager',
    refusal: 'A 360° report goes to the person and their manager only.',
  },
  /** Create, change and close review cycles, extend deadlines, remind laggards (the whole org is the subject). */
  'review.manage_cycles': {
    allows: (role) => role === 'hr_admin',
    refusal: 'Review cycles are run by HR admins. Your review tasks are in {typed:review}.',
  },
  /** A cycle's progress in numbers, per phase, department and manager (no one's review): HR admins and executives. */
  'review.read_progress': {
    allows: (role) => role === 'hr_admin' || role === 'executive',
    refusal: 'Cycle progress is for HR admins and executives.',
  },
  /** Write the subject's review in a cycle: their direct manager (the participant's reviewer). */
  'review.write': {
    allows: (_role, r) => r === 'manager',
    refusal: 'A review is written by the person’s manager.',
  },
  /** Read the subject's review document and its history: them, their manager chain, HR admins. Executives see aggregates only. */
  'review.read': {
    allows: (role, r) => r === 'self' || managerChain(r) || role === 'hr_admin',
    refusal: 'A review is seen by the person, their managers and HR only.',
  },
  /** Export the subject's finished review (PDF, Markdown): the same people who may read it. */
  'review.export': {
    allows: (role, r) => r === 'self' || managerChain(r) || role === 'hr_admin',
    refusal: 'Only the person, their managers and HR can export a review.',
  },
  /** Comment on and sign off the subject's shared review: only them. */
  'review.sign': {
    allows: (_role, r) => r === 'self',
    refusal: 'Only the person a review is about can sign it off.',
  },
  /** Calibrate the subject's rating: HR admins, and the managers above the subject. */
  'review.calibrate': {
    allows: (role, r) => managerChain(r) || role === 'hr_admin',
    refusal: 'Ratings are calibrated by HR and the managers of the group.',
  },
  /** Schedule the review conversation with the subject: their direct manager, or an HR admin. */
  'review.schedule_meeting': {
    allows: (role, r) => r === 'manager' || role === 'hr_admin',
    refusal: 'The review conversation is set up by the person’s manager.',
  },
  /** Change the subject's manager, department, title or role; import the org chart. */
  'org_chart.edit': {
    allows: (role) => role === 'hr_admin',
    refusal: 'Only an HR admin can change the org chart.',
  },
  /** Company values, allowance, recognition channel, default timezone, working hours; the 360° question set and smallest group. */
  'org.settings': {
    allows: (role) => role === 'hr_admin',
    refusal: 'Only an HR admin can change the organization’s settings.',
  },
  /** Link the org with the one on the other platform (both sides' HR admins: one gives the code, the other sends it back). */
  'org.link': {
    allows: (role) => role === 'hr_admin',
    refusal: 'Only an HR admin can link this organization with another.',
  },
} satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;

/** Nobody acts across orgs, whatever their role: checked here once, not in each rule. */
export function can(actor: Person, action: Action, subject: Subject): boolean {
  const relationship = relationshipOf(actor, subject);
  return relationship !== 'other_org' && POLICY[action].allows(actor.role, relationship);
}

/** Throws NotAllowed with the action's refusal unless the actor may. */
export function authorize(actor: Person, action: Action, subject: Subject): void {
  if (!can(actor, action, subject)) throw new NotAllowed(POLICY[action].refusal);
}

/** Throws NotAllowed unless the actor may do this about `person`, reading their managers from the org chart. */
export async function authorizeOn(ctx: HandlerContext, action: Action, person: Pick<Person, 'id' | 'org_id'>): Promise<void> {
  const managers = person.id === ctx.actor.id ? [] : await ctx.managersOf(person.id);
  authorize(ctx.actor, action, { id: person.id, org_id: person.org_id, managers });
}

/** For org-wide actions (settings, the org chart as a whole), the org itself is the subject. */
export const wholeOrg = (orgId: string): Subject => ({ id: `org:${orgId}`, org_id: orgId, managers: [] });
