import { MENTION_MARKER, type UserRef } from '../../chat/interaction';

/**
 * Reads `/kudos` text: `@ana @ben 20 #teamwork thanks for carrying the launch demo`.
 * The header (mentions, a number of points, hashtags, in any order) comes first; the rest is the
 * message. Mentions anywhere are recipients; `+N` in the message counts as points when the header has none.
 * Mentions come as the command's markers (`{mention:0}` for `mentions[0]`).
 */

export type MessagePart = string | { mention: UserRef };

export interface ParsedKudos {
  /** The users mentioned, first mention first, each once. */
  recipients: UserRef[];
  /** Every number of points given; more than one is a mistake the handler reports. */
  points: number[];
  /** Hashtags before the message: meant as the company value. Lower case, without #. */
  headerTags: string[];
  /** Hashtags inside the message: count as the value only when they name one. */
  bodyTags: string[];
  message: MessagePart[];
}

const TOKEN = new RegExp(`${MENTION_MARKER.source}|\\S+`, 'g');
const POINTS = /^\+?(\d{1,9})$/;
const BODY_POINTS = /^\+(\d{1,9})[.,!?;:]*$/;
const HASHTAG = /^#([\p{L}\p{N}_-]+)[.,!?;:]*$/u;
const SEPARATOR = /^(,|&|and)$/i;

export function parseKudosText(text: string, mentions: UserRef[]): ParsedKudos {
  const result: ParsedKudos = { recipients: [], points: [], headerTags: [], bodyTags: [], message: [] };
  const addRecipient = (ref: UserRef) => {
    if (!result.recipients.includes(ref)) result.recipients.push(ref);
  };

  const bodyPoints: number[] = [];
  let inHeader = true;
  let cursor = 0;
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    const index = match.index!;
    // A marker that stands for nobody is read as a word.
    const mention = match[1] === undefined ? undefined : mentions[Number(match[1])];
    if (inHeader) {
      if (mention) {
        addRecipient(mention);
      } else if (POINTS.test(token)) {
        result.points.push(Number(POINTS.exec(token)![1]));
      } else if (HASHTAG.test(token)) {
        result.headerTags.push(HASHTAG.exec(token)![1]!.toLowerCase());
      } else if (!SEPARATOR.test(token)) {
        inHeader = false;
        cursor = index;
      }
      if (inHeader) continue;
    }
    const before = text.slice(cursor, index);
    if (mention) {
      addRecipient(mention);
      appendText(result.message, before);
      result.message.push({ mention });
      cursor = index + token.length;
      continue;
    }
    if (BODY_POINTS.test(token)) bodyPoints.push(Number(BODY_POINTS.exec(token)![1]));
    if (HASHTAG.test(token)) result.bodyTags.push(HASHTAG.exec(token)![1]!.toLowerCase());
  }
  if (result.points.length === 0) result.points = bodyPoints;
  if (!inHeader) appendText(result.message, text.slice(cursor));
  trimMessage(result.message);
  return result;
}

function appendText(parts: MessagePart[], text: string): void {
  if (text === '') return;
  const last = parts[parts.length - 1];
  if (typeof last === 'string') parts[parts.length - 1] = last + text;
  else parts.push(text);
}

function trimMessage(parts: MessagePart[]): void {
  if (typeof parts[0] === 'string') parts[0] = parts[0].trimStart();
  const lastIndex = parts.length - 1;
  if (typeof parts[lastIndex] === 'string') parts[lastIndex] = (parts[lastIndex] as string).trimEnd();
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] === '') parts.splice(i, 1);
}

/** The message as text, with each mention written as @name. */
export function messageText(parts: MessagePart[], nameOf: (user: UserRef) => string): string {
  return parts.map((p) => (typeof p === 'string' ? p : `@${nameOf(p.mention)}`)).join('');
}
