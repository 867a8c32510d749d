import type { Db } from '../../src/db/connect';

/** Someone's goals, as `/goals new` (Teams: `goals new`) sets them (tested in slack-goals and teams-goals); returns their ids in order. */
export async function seedGoals(
  db: Db,
  owner: { id: string; org_id: string },
  goals: Array<{ title: string; dueOn: string }>,
  where: { platform: 'slack' | 'teams'; workspaceId: string },
): Promise<string[]> {
  const rows = await db
    .insertInto('goals')
    .values(
      goals.map(({ title, dueOn }) => ({
        org_id: owner.org_id,
        owner_id: owner.id,
        created_by: owner.id,
        level: 'individual' as const,
        title,
        start_value: 0,
        target_value: 10,
        current_value: 5,
        starts_on: '2026-01-05',
        due_on: dueOn,
        visibility: 'public' as const,
        platform: where.platform,
        workspace_id: where.workspaceId,
        idempotency_key: `${owner.id} ${title}`,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
