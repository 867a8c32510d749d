import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLACK_BOT_SCOPES } from '../../src/adapters/slack/slack.platform';

const root = join(__dirname, '../..');

/** The bot scopes the manifest asks for: the items of `oauth_config.scopes.bot`. */
function manifestScopes(): string[] {
  const manifest = readFileSync(join(root, 'manifests/slack.yaml'), 'utf8');
  const block = /\n {4}bot:\n((?: {6}- .+\n)+)/.exec(manifest);
  return (block?.[1] ?? '').split('\n').flatMap((line) => (line.trim() ? [line.trim().slice(2)] : []));
}

/** The scopes README's "Slack scopes" table justifies, each with what uses it. */
function readmeScopes(): Map<string, string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Slack scopes'), readme.indexOf('### When a workspace removes the app'));
  return new Map([...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('Slack scopes', () => {
  it('are the same in the code, the manifest and the README, each with what uses it', () => {
    const code = [...SLACK_BOT_SCOPES].sort();
    expect(code.length).toBeGreaterThan(5);
    expect(manifestScopes().sort()).toEqual(code);
    const readme = readmeScopes();
    expect([...readme.keys()].sort()).toEqual(code);
    for (const why of readme.values()) expect(why.length).toBeGreaterThan(10);
  });
});
