import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/db/database';
import { canAddToTeam, canConfigureTeam, canReadCheckin, canReadTeam, canReplyToCheckin } from '../../src/features/people/authorization';

const person = (id: string, extra: Partial<Person> = {}): Person => ({
  id,
  org_id: 'org',
  display_name: id,
  email: null,
  timezone: 'UTC',
  is_bot: false,
  active: true,
  manager_id: null,
  is_hr_admin: false,
  away_until: null,
  created_at: new Date(),
  ...extra,
});

// One team: `manager` manages `employee` and `teammate`; `otherManager` manages `outsider`.
const manager = person('manager');
const employee = person('employee', { manager_id: 'manager' });
const teammate = person('teammate', { manager_id: 'manager' });
const otherManager = person('otherManager');
const outsider = person('outsider', { manager_id: 'otherManager' });
const hrAdmin = person('hrAdmin', { is_hr_admin: true });
const newcomer = person('newcomer');
const checkin = { personId: employee.id, managerId: manager.id };

type Row = [string, Person, { configure: boolean; readTeam: boolean; readCheckin: boolean; reply: boolean }];

describe('authorization matrix for check-ins', () => {
  const matrix: Row[] = [
    ['the employee', employee, { configure: false, readTeam: false, readCheckin: true, reply: true }],
    ['a teammate', teammate, { configure: false, readTeam: false, readCheckin: false, reply: false }],
    ['their manager', manager, { configure: true, readTeam: true, readCheckin: true, reply: true }],
    ['another manager', otherManager, { configure: false, readTeam: false, readCheckin: false, reply: false }],
    ['someone outside the team', outsider, { configure: false, readTeam: false, readCheckin: false, reply: false }],
    ['an HR admin', hrAdmin, { configure: true, readTeam: true, readCheckin: true, reply: false }],
  ];

  it.each(matrix)('%s: configure the team, read the team, read the check-in, write in its thread', (_who, actor, allowed) => {
    expect({
      configure: canConfigureTeam(actor, manager.id),
      readTeam: canReadTeam(actor, manager.id),
      readCheckin: canReadCheckin(actor, checkin),
      reply: canReplyToCheckin(actor, checkin),
    }).toEqual(allowed);
  });

  it.each([
    ['a newcomer with no manager', manager, newcomer, true],
    ['their own report', manager, employee, true],
    ["someone else's report", manager, outsider, false],
    ["someone else's report, by an HR admin", hrAdmin, outsider, true],
  ])('a manager may add %s to their team: %s', (_case, actor, member, allowed) => {
    expect(canAddToTeam(actor, member, manager.id)).toBe(allowed);
  });
});
