import { z } from 'zod';
import type { Block, Form, FormValues, Message } from '../../chat/ui';

/**
 * What our cards carry in their actions' `data`, and how it is read back. Teams merges the card's
 * input values into the same object, keyed by input id, so our keys are ones no field uses.
 */

/** Action.Execute verb of a form's submit button. */
export const SUBMIT_VERB_PREFIX = 'submit:';

/**
 * A bot message an interaction started from, to replace once a form opened from it is submitted.
 * A dialog's task/submit has no `replyToId` (only its task/fetch has), so the form carries it, as
 * Slack modals carry theirs in `private_metadata`.
 */
export interface SourceRef {
  activityId: string;
  conversationId: string;
}

/**
 * Where a form was asked for when it is shown elsewhere: a form asked for in a channel or group chat
 * goes to the asker's 1:1 chat (others would see what they type), and is submitted as if from there.
 */
export interface OriginRef {
  conversationId: string;
}

export interface Carried {
  source?: SourceRef;
  origin?: OriginRef;
}

/** Data of a form's submit action: the whole neutral form rides along, so the adapter stays stateless. */
export interface FormSubmitData {
  formId: string;
  hepoForm: Form;
  /** The message holding the form (a `form_entry`), to show it again with errors. */
  hepoMessage?: Message;
  hepoSource?: SourceRef;
  hepoOrigin?: OriginRef;
  /** Set on a form's "Save draft" action (`Form.draft`). */
  hepoDraft?: true;
}

/** Data of a plain button; `msteams.type: 'task/fetch'` on buttons that open a dialog. */
export interface ButtonData {
  actionId: string;
  value?: string;
  msteams?: { type: 'task/fetch' };
}

const OWN_KEYS = new Set(['formId', 'hepoForm', 'hepoMessage', 'hepoSource', 'hepoOrigin', 'hepoDraft', 'actionId', 'msteams']);

/**
 * Read from what came back: the action's data is the person's to change (Teams merges what they
 * typed into it), so `unreadable` says ours didn't read as the bot wrote it, and the router answers
 * that it can't find it.
 */
export type CardData =
  | { kind: 'form'; formId: string; form: Form | undefined; values: FormValues; message?: Message; carried: Carried; draft?: true; unreadable?: true }
  | { kind: 'action'; actionId: string; value: string | undefined; unreadable?: true };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An action or form id, as the bot names them. */
const name = z.string().min(1).max(100);
/** A Teams conversation or activity id (a 1:1 chat's runs to about 150 characters). */
const teamsId = z.string().min(1).max(500);

/** The parts of a form the adapter reads back: its id, its state (ids, checked by the router), its fields' ids and kinds. */
const FormSchema = z.looseObject({
  formId: name,
  fields: z.array(z.looseObject({ id: name, kind: z.string().max(20) })).max(50),
  state: z.record(z.string().max(50), z.string().max(100)).optional(),
});

/** Our keys in a form's data; each optional, as a card from an older version of the bot may lack some. */
const FormData = z.object({
  hepoForm: FormSchema.optional(),
  hepoSource: z.object({ activityId: teamsId, conversationId: teamsId }).optional(),
  hepoOrigin: z.object({ conversationId: teamsId }).optional(),
});

/** Our keys in a button's data. */
const ButtonDataSchema = z.object({ value: z.string().max(100).optional() });

/** A message whose form_entry holds this form. */
function entryMessage(v: unknown, formId: string): Message | undefined {
  if (!isRecord(v) || typeof v.summary !== 'string' || !Array.isArray(v.blocks)) return undefined;
  const blocks = v.blocks as unknown[];
  const holds = blocks.some((b) => isRecord(b) && b.type === 'form_entry' && FormSchema.safeParse(b.form).success && (b.form as Form).formId === formId);
  return holds ? { summary: v.summary, blocks: blocks as Block[] } : undefined;
}

function splitIds(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Card inputs come back as strings (numbers in some clients); users pickers as comma-separated ids. */
function valuesOf(data: Record<string, unknown>, form: Form | undefined): FormValues {
  const kinds = new Map(form?.fields.map((f) => [f.id, f]) ?? []);
  const values: FormValues = {};
  for (const [key, raw] of Object.entries(data)) {
    if (OWN_KEYS.has(key)) continue;
    const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    if (text === undefined) continue;
    const field = kinds.get(key);
    if (field?.kind === 'users') {
      const ids = splitIds(text);
      values[key] = field.multiple ? (ids.length > 0 ? ids : undefined) : ids[0];
    } else {
      values[key] = text === '' ? undefined : text;
    }
  }
  return values;
}

const unreadable = { unreadable: true as const };

/** Reads an action's data (Action.Submit value, task/submit data, Action.Execute data); undefined when it is none of ours. */
export function readCardData(data: unknown, verb?: string): CardData | undefined {
  if (!isRecord(data)) return undefined;
  const formId = typeof data.formId === 'string' ? data.formId : verb?.startsWith(SUBMIT_VERB_PREFIX) ? verb.slice(SUBMIT_VERB_PREFIX.length) : undefined;
  if (formId) {
    const ours = FormData.safeParse(data);
    const form = ours.data?.hepoForm as Form | undefined;
    const { hepoSource: source, hepoOrigin: origin } = ours.data ?? {};
    const message = entryMessage(data.hepoMessage, formId);
    return {
      kind: 'form',
      formId,
      form: form?.formId === formId ? form : undefined,
      values: valuesOf(data, form),
      ...(message ? { message } : {}),
      carried: { ...(source ? { source } : {}), ...(origin ? { origin } : {}) },
      ...(data.hepoDraft === true ? { draft: true as const } : {}),
      // A form that names another form than the one submitted was changed on the way.
      ...(!ours.success || (form && form.formId !== formId) || !name.safeParse(formId).success ? unreadable : {}),
    };
  }
  const actionId = typeof data.actionId === 'string' && data.actionId !== '' ? data.actionId : verb;
  if (!actionId) return undefined;
  const button = ButtonDataSchema.safeParse(data);
  return {
    kind: 'action',
    actionId,
    value: button.data?.value,
    ...(!button.success || !name.safeParse(actionId).success ? unreadable : {}),
  };
}

/** The ids of the users fields whose values are Teams people-picker ids (AAD object ids in real Teams). */
export function usersFieldIds(form: Form | undefined): string[] {
  return form?.fields.filter((f) => f.kind === 'users').map((f) => f.id) ?? [];
}

/**
 * An invoke's data: every invoke is a click on one of the bot's cards, so data that reads as none of
 * ours was changed on the way, and goes to the router as such.
 */
export const readInvokeData = (data: unknown, verb?: string): CardData =>
  readCardData(data, verb) ?? { kind: 'action', actionId: verb || 'unreadable', value: undefined, ...unreadable };
