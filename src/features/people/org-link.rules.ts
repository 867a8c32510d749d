import { createHash, randomInt } from 'node:crypto';

/** How long a link code works: long enough to pass it to the other side's HR admin in a call or a chat. */
export const LINK_CODE_MINUTES = 30;

/** No 0/O, 1/I/L: a code is read aloud and typed by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 8;

/** A fresh code, `ABCD-EFGH`: 31^8 (about 8.5 × 10^11) of them, for half an hour, tried by HR admins only. */
export function newLinkCode(): string {
  const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** What is stored and looked up: the code's hash, whatever its case, spaces or dash as typed. */
export function linkCodeHash(typed: string): string {
  return createHash('sha256')
    .update(typed.toUpperCase().replace(/[^A-Z0-9]/g, ''))
    .digest('hex');
}

/** Tables that may hold rows of an org that joins another: its people and what was said to them. */
export const MOVED_WHEN_LINKING = ['people', 'identities', 'notifications', 'org_workspaces', 'org_link_codes'];

/** The records an org already has, in words, from the names of the tables that hold them. */
export function recordsInWords(tables: string[]): string[] {
  const words = tables.map((table) => {
    if (table.startsWith('kudos') || table === 'point_allowances') return 'kudos';
    if (table.startsWith('checkin')) return 'check-ins';
    if (table.startsWith('feedback')) return 'feedback';
    if (table.startsWith('one_on_one') || table === 'agenda_items') return '1:1s';
    if (table === 'org_imports') return 'an org chart import';
    return table.replace(/_/g, ' ');
  });
  return [...new Set(words)].sort();
}
