/**
 * The neutral UI model. Features describe messages and forms with it; adapters/slack renders it to
 * Block Kit and adapters/teams to Adaptive Cards. Text uses a small markdown subset: **bold**, _italic_,
 * lines that start with `• ` (a list), names people with `personRef` and commands with `typed`.
 */

/**
 * A person named in a message's text (a block's or the summary). Each renderer shows them the
 * platform's way: a mention where they have an account there, which notifies them and shows their
 * current name, else their name in bold. Messages to other people name people this way, not by name.
 */
export const personRef = (personId: string) => `{person:${personId}}`;

const PERSON_REF = /\{person:([\w-]+)\}/g;

/**
 * A command for the person to type, written as their platform takes it: Slack's slash command
 * (`/kudos @name 20`), words typed to the bot in Teams (**kudos @name 20**). People in it are
 * placeholders such as `@name`: the router puts in colleagues of the reader where it knows some.
 */
export const typed = (command: string) => `{typed:${command}}`;

const TYPED = /\{typed:([^}]*)\}/g;

/** The text with each command to type written by `write` (a platform's way to show one). */
export const writeTyped = (text: string, write: (command: string) => string) => text.replace(TYPED, (_, command: string) => write(command));

/**
 * Text a person wrote, with what would read as a marker (`{person:…}`, `{channel:…}`, `{typed:…}`)
 * made inert by an invisible word joiner: it shows as they wrote it, and names, links and pings nobody.
 */
export const asWritten = (text: string) => text.replace(/\{(?=(?:person|channel|typed):)/g, '{\u2060');

/** How a person named in a message shows on the platform it goes to. */
export interface ShownPerson {
  /** Their display name now. */
  name: string;
  /** Their user id on that platform; none for someone the bot met only on the other one. */
  userId?: string;
}

/** How the people a message names show, by person id. */
export type People = Record<string, ShownPerson>;

export interface Button {
  /** Routed back to the feature as an `action` interaction with this id. */
  actionId: string;
  label: string;
  /** The id (uuid) of the row it acts on: the router refuses any other, as it comes back through the platform. */
  value?: string;
  style?: 'primary' | 'danger';
  /** The button opens a form (Slack modal / Teams dialog) returned by the action's handler. */
  opensForm?: boolean;
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'section'; text: string }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'context'; text: string }
  | { type: 'actions'; buttons: Button[] }
  /**
   * A form to fill in from this message. Where the platform can show inputs in a message (Teams)
   * they are shown inline; elsewhere (Slack) it is a button that opens the form.
   */
  | { type: 'form_entry'; form: Form; open: Button };

export interface Message {
  /** Plain-text summary, used for notifications and as a fallback. */
  summary: string;
  blocks: Block[];
  /**
   * How the people its text names show where it goes. Features leave it out: it is looked up just
   * before the message goes out (`lookUpPeople`), by the delivery job or, for replies, the router.
   */
  people?: People;
}

/**
 * What one message may hold to fit both platforms: Slack takes 50 blocks, 3,000 characters a section
 * and 2,000 a context or a field, 75 a button's label; Teams' store rule allows 6 buttons a card, and a card has to stay
 * small (the Teams renderer's budget). A feature whose message grows with its data (a digest, an
 * agenda) shows it a page at a time (`pageOf`); the renderers cut what still doesn't fit, and say so.
 */
export const MESSAGE_LIMITS = { blocks: 50, buttons: 6, text: 3000, smallText: 2000, label: 75 } as const;

/** What an item of a paged message takes of its page, or what a page has room for. */
export interface PageCost {
  blocks: number;
  buttons: number;
  /** Characters of text, as written by the feature. */
  chars: number;
}

/** Text a page of a paged message may hold: what keeps a Teams card well inside its budget. */
export const PAGE_CHARS = 6_000;

/**
 * The items from `from` on that fit in `room`, at least one so every page moves on; `next`: where
 * the next page starts, when items are left. A `from` past the end (items gone since the page was
 * asked for) is the last page.
 */
export function pageOf<T>(items: T[], from: number, room: PageCost, cost: (item: T) => PageCost): { from: number; items: T[]; next?: number } {
  if (from > 0 && from >= items.length) return pageOf(items, pageStart(items, items.length - 1, room, cost), room, cost);
  const used: PageCost = { blocks: 0, buttons: 0, chars: 0 };
  let end = from;
  while (end < items.length) {
    const c = cost(items[end]!);
    const fits = used.blocks + c.blocks <= room.blocks && used.buttons + c.buttons <= room.buttons && used.chars + c.chars <= room.chars;
    if (!fits && end > from) break;
    used.blocks += c.blocks;
    used.buttons += c.buttons;
    used.chars += c.chars;
    end++;
  }
  return { from, items: items.slice(from, end), ...(end < items.length ? { next: end } : {}) };
}

/** Where the page holding item `index` starts, with the pages laid out from the first item as `pageOf` does. */
export function pageStart<T>(items: T[], index: number, room: PageCost, cost: (item: T) => PageCost): number {
  let from = 0;
  for (;;) {
    const { next } = pageOf(items, from, room, cost);
    if (next === undefined || next > index) return from;
    from = next;
  }
}

/**
 * The button that brings the next page of a paged message, saying how many items are still to see.
 * Its value is the id of the first item still to see: a button carries a row's id (the router checks it).
 */
export const showMoreButton = (actionId: string, firstId: string, left: number): Button => ({ actionId, label: `Show ${left} more`, value: firstId });

/** A message of one line of text (answers, refusals, confirmations). */
export const textMessage = (text: string): Message => ({ summary: text, blocks: [{ type: 'section', text }] });

/** The ids of the people a message names, each once. */
export function peopleNamedIn(message: Message): string[] {
  const ids = [...JSON.stringify([message.summary, message.blocks]).matchAll(PERSON_REF)].map((m) => m[1]!);
  return [...new Set(ids)];
}

/** How the people these messages name show, in one look-up; undefined when they name nobody. */
export async function lookUpPeople(messages: Message[], lookup: (personIds: string[]) => Promise<People>): Promise<People | undefined> {
  const ids = [...new Set(messages.flatMap(peopleNamedIn))];
  return ids.length > 0 ? lookup(ids) : undefined;
}

/** The text with each person it names written by `write`; one whose look-up found nobody is "someone". */
export function writePeople(text: string, people: People | undefined, write: (person: ShownPerson) => string): string {
  return text.replace(PERSON_REF, (_, id: string) => {
    const person = people?.[id];
    return person ? write(person) : 'someone';
  });
}

/**
 * A Slack channel named in a message's text, by the id Slack's channel picker gives (as the form
 * field `channel` is Slack's): Slack links it and shows its current name. Elsewhere, and where only
 * plain text shows, it reads "the channel".
 */
export const channelRef = (channelId: string) => `{channel:${channelId}}`;

const CHANNEL_REF = /\{channel:([\w-]+)\}/g;

/** The text with each channel it names written by `write`. */
export const writeChannels = (text: string, write: (channelId: string) => string) => text.replace(CHANNEL_REF, (_, id: string) => write(id));

/** How a renderer with no way to link a channel writes one. */
export const SOME_CHANNEL = 'the channel';

/** The text with people by their names, for places that show plain text. */
export const withNames = (text: string, people: People | undefined) =>
  writeChannels(
    writePeople(text, people, (p) => p.name),
    () => SOME_CHANNEL,
  );

interface FieldBase {
  id: string;
  label: string;
  required?: boolean;
  hint?: string;
}

export type FormField =
  /** Free text always has a limit, stated at the field (`limitHint`) and kept by the handler (`boundedText`). */
  | (FieldBase & { kind: 'text' | 'multiline'; placeholder?: string; maxLength: number; initial?: string })
  /** Whole numbers unless `decimal`. */
  | (FieldBase & { kind: 'number'; min?: number; max?: number; initial?: number; decimal?: boolean })
  | (FieldBase & { kind: 'date'; initial?: string })
  | (FieldBase & { kind: 'users'; multiple: boolean; initial?: string[] })
  | (FieldBase & { kind: 'choice'; options: Array<{ value: string; label: string }>; initial?: string })
  | (FieldBase & { kind: 'rating'; min: number; max: number; initial?: number })
  /** One file, with one of these extensions; it comes back as the submission's `file`, not in its values. */
  | (FieldBase & { kind: 'file'; extensions: string[] })
  /** A channel of the workspace (Slack); its value is the channel id. */
  | (FieldBase & { kind: 'channel'; initial?: string })
  /**
   * One choice among many, found by typing: the platform asks for the options matching what is typed
   * (a `suggest` interaction for `suggestKey(formId, id)`); its value is the chosen option's.
   */
  | (FieldBase & { kind: 'search'; initial?: { value: string; label: string } });

export interface Form {
  /** Routed back as a `form_submit` interaction with this id. */
  formId: string;
  title: string;
  submitLabel: string;
  intro?: string;
  fields: FormField[];
  /** Ids (uuids) of the rows the form is about, by name, carried through the platform and handed back on submit (the router checks them). */
  state?: Record<string, string>;
  /**
   * The form keeps a draft: what is entered comes back as a submission marked `draft` when the
   * person saves it for later (Teams: this button beside the submit one; Slack: closing the modal).
   */
  draft?: { label: string };
}

/** Which suggestions a search field asks for: its form's and its own id. */
export const suggestKey = (formId: string, fieldId: string) => `${formId}/${fieldId}`;

/** What comes back from either platform when a form is submitted. Users fields carry platform user ids. */
export type FormValues = Record<string, string | string[] | undefined>;
