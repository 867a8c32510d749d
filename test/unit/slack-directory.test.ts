import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { slackDirectory } from '../../src/adapters/slack/directory';

const member = (i: number, o: Record<string, unknown> = {}) => ({ id: `U${i}`, real_name: `P${i}`, tz: 'UTC', profile: { email: `p${i}@acme.test` }, ...o });
const workspace = Array.from({ length: 450 }, (_, i) => member(i, i === 7 ? { deleted: true } : i === 8 ? { is_bot: true } : {}));

/** A Web API client over that workspace, counting its calls. */
function client() {
  const calls: string[] = [];
  const fake = {
    users: {
      async lookupByEmail({ email }: { email: string }) {
        calls.push('lookupByEmail');
        const user = workspace.find((u) => u.profile.email === email);
        if (!user) throw Object.assign(new Error('users_not_found'), { data: { error: 'users_not_found' } });
        return { user };
      },
      async list({ limit, cursor }: { limit: number; cursor?: string }) {
        calls.push('list');
        const from = Number(cursor ?? 0);
        return {
          members: workspace.slice(from, from + limit),
          response_metadata: { next_cursor: from + limit < workspace.length ? String(from + limit) : '' },
        };
      },
    },
  };
  return { calls, directory: slackDirectory(fake as unknown as WebClient) };
}

describe('Slack people by email', () => {
  it('looks a few emails up one by one, leaving out nobody, the deactivated and bots', async () => {
    const { calls, directory } = client();
    const found = await directory.findByEmails(['p1@acme.test', 'p7@acme.test', 'p8@acme.test', 'zoe@acme.test']);
    expect([...found.keys()]).toEqual(['p1@acme.test']);
    expect(found.get('p1@acme.test')).toMatchObject({ id: 'U1', displayName: 'P1' });
    expect(calls).toEqual(Array(4).fill('lookupByEmail'));
  });

  it('lists the workspace, a page at a time, for many emails', async () => {
    const { calls, directory } = client();
    const emails = Array.from({ length: 60 }, (_, i) => `p${i * 7}@acme.test`);
    const found = await directory.findByEmails(emails);
    expect(found.size).toBe(emails.length - 1);
    expect(found.has('p7@acme.test')).toBe(false); // deactivated
    expect(calls).toEqual(['list', 'list', 'list']);
  });
});
