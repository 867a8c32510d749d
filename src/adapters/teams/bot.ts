import { type Activity, type InvokeResponse, TurnContext } from 'botbuilder';
import type { FileToSend } from '../../chat/effects';
import type { Directory } from '../../chat/ports';
import type { Router } from '../../chat/router';
import type { Message } from '../../chat/ui';
import type { Logger } from '../../logger';
import type { ConversationStore, Reference } from './conversations.queries';
import type { TeamsPeople } from './directory';
import { isPersonal, tenantOf } from './interactions';
import type { PersonChoice } from './render';
import type { TurnReplies } from './replies';

/** What a listener gets besides the turn: the router and the turn's own directory and replies. */
export interface TurnKit {
  router: Router;
  directory: Directory;
  /** The people of this turn, looked for once each (a form's people picker gives AAD object ids). */
  people: TeamsPeople;
  replies: TurnReplies;
  /** People to list in forms' people pickers; none where Teams' own picker searches the directory. */
  formPeople(): Promise<PersonChoice[]>;
  /** Whether the turn's user is a member of this conversation of the tenant (the turn's own always is). */
  isMember(conversationId: string): Promise<boolean>;
  /** The activity that hands the turn's user these files (links that last minutes: see downloads.ts). */
  filesFor(message: Message, files: FileToSend[]): Promise<Partial<Activity>>;
  logger: Logger;
}

/** Handles the activities it matches, among those of the kind it is registered for (messages, or updates). */
export interface ActivityListener {
  matches(activity: Activity): boolean;
  handle(context: TurnContext, kit: TurnKit): Promise<void>;
}

/** Answers an invoke; the result is the HTTP response to the Teams client. */
export type InvokeListener = (context: TurnContext, kit: TurnKit) => Promise<InvokeResponse>;

/** Routes each activity to the listener registered for its kind; remembers every conversation it sees. */
export class TeamsBot {
  private readonly messages: ActivityListener[] = [];
  private readonly updates: ActivityListener[] = [];
  private readonly invokes = new Map<string, InvokeListener>();

  constructor(private readonly store: ConversationStore) {}

  /** Listeners are tried in registration order; the first that matches handles the message. */
  onMessage(listener: ActivityListener): void {
    this.messages.push(listener);
  }

  /** For conversationUpdate and installationUpdate activities, tried in registration order like messages. */
  onUpdate(listener: ActivityListener): void {
    this.updates.push(listener);
  }

  onInvoke(name: string, listener: InvokeListener): void {
    if (this.invokes.has(name)) throw new Error(`invoke ${name} has two listeners`);
    this.invokes.set(name, listener);
  }

  async run(context: TurnContext, kit: TurnKit): Promise<void> {
    const { activity } = context;
    await this.remember(activity);
    if (activity.type === 'message') {
      await this.messages.find((l) => l.matches(activity))?.handle(context, kit);
    } else if (activity.type === 'conversationUpdate' || activity.type === 'installationUpdate') {
      await this.updates.find((l) => l.matches(activity))?.handle(context, kit);
    } else if (activity.type === 'invoke') {
      const listener = this.invokes.get(activity.name ?? '');
      const response: InvokeResponse = listener ? await listener(context, kit) : { status: 501 };
      await context.sendActivity({ type: 'invokeResponse', value: response });
    }
  }

  private async remember(activity: Activity): Promise<void> {
    if (!activity.conversation?.id || !activity.serviceUrl) return;
    const botRemoved =
      (activity.type === 'conversationUpdate' && activity.membersRemoved?.some((m) => m.id === activity.recipient?.id)) ||
      (activity.type === 'installationUpdate' && activity.action === 'remove');
    if (botRemoved) {
      await this.store.forget(activity.conversation.id);
      return;
    }
    const reference = TurnContext.getConversationReference(activity) as Reference;
    await this.store.save(reference, tenantOf(activity), isPersonal(activity) ? activity.from?.id : undefined);
  }
}
