import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** What a sealed token starts with: `enc:v1:<key id>:<iv>:<auth tag>:<ciphertext>`, base64url parts. */
const PREFIX = 'enc:v1:';

/** A key's short public name, so a sealed token says which key opens it without trying them all. */
const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('base64url').slice(0, 8);

export interface Opened {
  plain: string;
  /** Sealed with a key other than the first (or not sealed at all): seal it again. */
  stale: boolean;
}

/**
 * AES-256-GCM for the tokens installs carry. The first key seals; every key opens, so keys rotate by
 * putting a new one first and dropping the old one once every row is sealed again.
 */
export function tokenCipher(keys: Buffer[]) {
  const [first] = keys;
  if (!first) throw new Error('tokenCipher needs at least one key');
  const byId = new Map(keys.map((key) => [keyIdOf(key), key]));
  const firstId = keyIdOf(first);

  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', first, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${firstId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${sealed.toString('base64url')}`;
    },

    /** A value from before encryption (plain text) opens as itself, stale. */
    open(value: string): Opened {
      if (!value.startsWith(PREFIX)) return { plain: value, stale: true };
      const [keyId, iv, tag, sealed] = value.slice(PREFIX.length).split(':');
      const key = byId.get(keyId ?? '');
      if (!key || !iv || !tag || sealed === undefined) throw new Error(`a token is sealed with key ${keyId}, which SLACK_TOKEN_KEYS no longer holds`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
      return { plain, stale: keyId !== firstId };
    },
  };
}

export type TokenCipher = ReturnType<typeof tokenCipher>;
