import { describe, expect, it } from 'vitest';
import { tokenCipher } from '../../src/adapters/slack/token-cipher';

const oldKey = Buffer.alloc(32, 1);
const newKey = Buffer.alloc(32, 2);

describe('the token cipher', () => {
  it('seals a token so that only its keys open it, differently each time', () => {
    const cipher = tokenCipher([oldKey]);
    const [a, b] = [cipher.seal('xoxb-1-secret'), cipher.seal('xoxb-1-secret')];
    expect(a).not.toContain('xoxb');
    expect(a).not.toBe(b);
    expect(cipher.open(a)).toEqual({ plain: 'xoxb-1-secret', stale: false });
    expect(() => tokenCipher([newKey]).open(a)).toThrow(/sealed with key \S+, which SLACK_TOKEN_KEYS no longer holds/);
  });

  it('refuses a sealed token that was tampered with', () => {
    const cipher = tokenCipher([oldKey]);
    const sealed = cipher.seal('xoxb-1-secret');
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
    expect(() => cipher.open(flipped)).toThrow();
  });

  it('opens with any key it holds and says when a token should be sealed again with the first', () => {
    const sealedOld = tokenCipher([oldKey]).seal('xoxb-1-secret');
    const rotated = tokenCipher([newKey, oldKey]);
    expect(rotated.open(sealedOld)).toEqual({ plain: 'xoxb-1-secret', stale: true });
    expect(rotated.open(rotated.seal('xoxb-1-secret')).stale).toBe(false);
    expect(rotated.open('xoxb-from-before-sealing')).toEqual({ plain: 'xoxb-from-before-sealing', stale: true });
  });
});
