import { describe, expect, it } from 'vitest';
import type { Person, Role } from '../../src/db/database';
import { type Action, POLICY, type Relationship, type Subject, can, relationshipOf, wholeOrg } from '../../src/features/people/authorization';

const person = (id: string, role: Role, managerId: string | null, orgId = 'acme'): Person => ({
  id,
  org_id: orgId,
  display_name: id,
  email: null,
  timezone: 'UTC',
  is_bot: false,
  active: true,
  manager_id: managerId,
  department: null,
  title: null,
  role,
  role_set_by_hr: false,
  away_until: null,
  created_at: new Date(0),
});

// The org chart: dana → maya → { emma, pete }; emma → rob. Hana (HR) and Xavier (executive) report to dana.
const dana = person('dana', 'manager', null);
const maya = person('maya', 'manager', 'dana');
const emma = person('emma', 'manager', 'maya');
const pete = person('pete', 'employee', 'maya');
const rob = person('rob', 'employee', 'emma');
const hana = person('hana', 'hr_admin', 'dana');
const xavier = person('xavier', 'executive', 'dana');
const olga = person('olga', 'hr_admin', null, 'globex');
const subjectEmma: Subject = { id: emma.id, org_id: emma.org_id, managers: ['maya', 'dana'] };

/** Every actor, as they stand to Emma (the subject of every action below). */
const ACTORS: Array<[Relationship | Role, Person, Relationship]> = [
  ['self', emma, 'self'],
  ['manager', maya, 'manager'],
  ['manager_chain', dana, 'manager_chain'],
  ['peer', pete, 'peer'],
  ['report', rob, 'report'],
  ['hr_admin', hana, 'colleague'],
  ['executive', xavier, 'colleague'],
  ['other_org', olga, 'other_org'],
];
type Who = (typeof ACTORS)[number][0];

/** Who may: one row per action, the columns in ACTORS' order. A new action must add its row. */
const MATRIX: Record<Action, Who[]> = {
  'checkins.configure': ['self', 'hr_admin'],
  'checkins.add_anyone': ['hr_admin'],
  'checkins.read_answers': ['self', 'manager', 'manager_chain', 'hr_admin'],
  'checkins.reply': ['self', 'manager'],
  'one_on_one.schedule': ['manager', 'hr_admin'],
  'one_on_one.agenda': ['self', 'manager'],
  'feedback.give': ['manager', 'manager_chain', 'peer', 'report', 'hr_admin', 'executive'],
  'feedback.read': ['self'],
  'feedback.thank': ['self'],
  'goals.create_company': ['hr_admin', 'executive'],
  'goals.create_team': ['self', 'manager', 'manager_chain', 'hr_admin', 'executive'],
  'goals.set_for': ['self', 'manager', 'manager_chain', 'hr_admin'],
  'goals.read': ['self', 'manager', 'manager_chain', 'peer', 'report', 'hr_admin', 'executive'],
  'goals.read_private': ['self', 'manager', 'manager_chain'],
  'goals.update': ['self', 'manager', 'manager_chain', 'hr_admin'],
  'review.self_assess': ['self'],
  'review.read_self_assessment': ['self', 'manager', 'manager_chain', 'hr_admin'],
  'feedback360.request': ['self', 'manager', 'manager_chain', 'hr_admin'],
  'feedback360.answer': ['self', 'manager', 'manager_chain', 'peer', 'report', 'hr_admin', 'executive'],
  'feedback360.read_report': ['self', 'manager'],
  'review.manage_cycles': ['hr_admin'],
  'review.read_progress': ['hr_admin', 'executive'],
  'review.write': ['manager'],
  'review.read': ['self', 'manager', 'manager_chain', 'hr_admin'],
  'review.export': ['self', 'manager', 'manager_chain', 'hr_admin'],
  'review.sign': ['self'],
  'review.calibrate': ['manager', 'manager_chain', 'hr_admin'],
  'review.schedule_meeting': ['manager', 'hr_admin'],
  'org_chart.edit': ['hr_admin'],
  'org.settings': ['hr_admin'],
  'org.link': ['hr_admin'],
};

const ORG_WIDE: Action[] = ['checkins.add_anyone', 'org_chart.edit', 'org.settings', 'org.link'];

describe('the authorization policy', () => {
  it('has a matrix row for every action it knows', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(POLICY).sort());
  });

  it.each(ACTORS)('reads the org chart: the %s stands to Emma as %s', (_who, actor, relationship) => {
    expect(relationshipOf(actor, subjectEmma)).toBe(relationship);
  });

  describe.each(Object.entries(MATRIX) as Array<[Action, Who[]]>)('%s', (action, allowed) => {
    it.each(ACTORS)('the %s: as the matrix says', (who, actor) => {
      const subject = ORG_WIDE.includes(action) ? wholeOrg(actor === olga ? 'acme' : emma.org_id) : subjectEmma;
      expect(can(actor, action, subject)).toBe(allowed.includes(who));
    });
  });

  it('refuses someone in another org even with the same role and an id that looks like a manager', () => {
    const impostor = person('maya', 'hr_admin', null, 'globex');
    for (const action of Object.keys(POLICY) as Action[]) {
      const subject = ORG_WIDE.includes(action) ? wholeOrg('acme') : subjectEmma;
      expect(can(impostor, action, subject)).toBe(false);
    }
  });
});
