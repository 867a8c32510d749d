import type { Form, Message } from './ui';

/**
 * What a handler asks the adapter to do in answer to the person who interacted. Anything sent to
 * other people or conversations goes through the outbox instead (src/notify), so it survives crashes.
 */
export type Effect =
  /** Only the actor sees it: Slack ephemeral, Teams reply in a 1:1 chat with the bot. */
  | { type: 'reply'; message: Message }
  | { type: 'open_form'; form: Form }
  /** Keep the form open and show these messages at their fields. */
  | { type: 'form_errors'; errors: Record<string, string> }
  /** Close the form (if any) and show this confirmation privately. */
  | { type: 'done'; message: Message }
  /**
   * Replace the message the interaction started from (a button's message, or the message whose
   * button opened the form being submitted), e.g. a prompt that becomes "Submitted ✓".
   */
  | { type: 'update_source'; message: Message }
  /** The options a search field offers for what was typed (the answer to a `suggest`). */
  | { type: 'suggestions'; options: Array<{ value: string; label: string }> }
  /** The person's home: Slack publishes it as their Home tab, Teams shows it as a card in their 1:1 chat. */
  | { type: 'show_home'; message: Message }
  /**
   * Files for the actor alone (an export), with a message saying what they are: Slack uploads them to
   * their DM with the bot; Teams sends a short-lived download link for each (see DESIGN: Exports).
   */
  | { type: 'files'; message: Message; files: FileToSend[] };

/** A file a feature made for the person who asked. */
export interface FileToSend {
  name: string;
  mimeType: string;
  content: Buffer;
}
