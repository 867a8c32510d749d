import type { Org, Person } from '../db/database';
import type { OutgoingNotification, PeopleShown } from './ports';
import type { Effect } from './effects';
import type { Interaction, Platform, UserRef } from './interaction';
import type { DirectoryUser } from './interaction';
import type { Block, Button } from './ui';

/** A line of the help, for both platforms or for one only. */
export type HelpLine = string | { only: Platform; text: string };

/** What a capability gives the router (its entry points) and what the router gives each handler. */

export interface HandlerContext {
  org: Org;
  actor: Person;
  /** People of this org for these platform users, created on first contact. Order is kept. */
  resolvePeople(refs: UserRef[]): Promise<Person[]>;
  /** This person's managers up the org chart, nearest first: what the authorization policy needs. */
  managersOf(personId: string): Promise<string[]>;
  /** People the platform knows by these (lower-case) emails, met by the bot or not (see `Directory.findByEmails`). */
  findByEmails(emails: string[]): Promise<Map<string, DirectoryUser>>;
  /** The name people know the interaction's channel by (`Origin.channelId`), where the platform tells it (see `Directory.channelName`). */
  channelName(channelId: string): Promise<string | undefined>;
  /**
   * The people this interaction has looked up so far, as its platform shows them: handed to
   * `SendRecorded`, the messages it records need no look-up of their own as they go out.
   */
  peopleShown(): PeopleShown;
}

export type Of<K extends Interaction['kind']> = Extract<Interaction, { kind: K }>;
export type Handler<K extends Interaction['kind']> = (interaction: Of<K>, ctx: HandlerContext) => Promise<Effect[]>;

/** A capability's entry points, keyed by command name, form id and action id. */
export interface Feature {
  name: string;
  /**
   * One line per command for the help reply, commands written with `typed`, e.g.
   * "{typed:kudos @name 20 #teamwork thanks!} recognise someone"; a line only one platform has names it.
   */
  help: HelpLine[];
  commands?: Record<string, Handler<'command'>>;
  forms?: Record<string, Handler<'form_submit'>>;
  actions?: Record<string, Handler<'action'>>;
  /** What its forms' search fields offer, keyed by `suggestKey(formId, fieldId)`. */
  suggest?: Record<string, Handler<'suggest'>>;
  /** Profile changes from the platform; at most one feature takes them. */
  profile?: Handler<'profile'>;
  /**
   * Its section of the person's home (Slack's Home tab, the Teams `home` card): what they have and
   * what waits for them here, with buttons to act. Nothing when it has nothing to say to them.
   */
  home?(ctx: HandlerContext): Promise<Block[]>;
  /** The one thing to try first, for the welcome and the top of the home: a line and the button that does it. */
  tryThis?: { text: string; button: Button };
  /** The app was installed for the person themselves; every feature that cares answers after the welcome. */
  installed?: Handler<'installed'>;
}

/** Records a notification and sends it from this process, unless its dedupe key is recorded already: the welcome's way out. */
export type NotifyOnce = (orgId: string, notification: OutgoingNotification) => Promise<void>;
