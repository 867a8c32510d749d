import type { ConversationReference } from 'botbuilder';
import { sql } from 'kysely';
import type { Db } from '../../db/connect';

/**
 * Conversation references in Postgres (table teams_conversations): what lets the bot write into a
 * conversation, or a person's 1:1 chat with it, after the turn that told it about them is over.
 */

export type Reference = Partial<ConversationReference> & Pick<ConversationReference, 'conversation' | 'serviceUrl'>;

function parse(row: { reference: unknown } | undefined): Reference | undefined {
  if (!row) return undefined;
  const ref = (typeof row.reference === 'string' ? JSON.parse(row.reference) : row.reference) as Reference;
  return ref?.conversation?.id && ref.serviceUrl ? ref : undefined;
}

export function conversationStore(db: Db) {
  const personalChatRow = (tenantId: string, userId: string) =>
    db
      .selectFrom('teams_conversations')
      .select(['reference', 'personal_user_id'])
      .where('tenant_id', '=', tenantId)
      .where('personal_user_id', 'is not', null)
      .where((eb) => eb.or([eb('personal_user_id', '=', userId), eb(sql<string>`reference->'user'->>'aadObjectId'`, '=', userId)]))
      // The chat kept under the id asked for first, then the most recent.
      .orderBy(sql`personal_user_id = ${userId}`, 'desc')
      .orderBy('updated_at', 'desc')
      .limit(1)
      .executeTakeFirst();

  const store = {
    /**
     * Upserts a reference. `personalUserId` marks a 1:1 chat with that user; a later sighting of the
     * same conversation without one keeps it.
     */
    async save(reference: Reference, tenantId: string | null, personalUserId: string | undefined): Promise<void> {
      // Without the activity id: later messages start new posts instead of answering an old one.
      const { activityId: _dropped, ...stored } = reference;
      await db
        .insertInto('teams_conversations')
        .values({
          conversation_id: reference.conversation.id,
          tenant_id: tenantId,
          personal_user_id: personalUserId ?? null,
          reference: JSON.stringify(stored),
        })
        .onConflict((oc) =>
          oc.column('conversation_id').doUpdateSet((eb) => ({
            tenant_id: eb.ref('excluded.tenant_id'),
            personal_user_id: sql<string | null>`coalesce(excluded.personal_user_id, teams_conversations.personal_user_id)`,
            reference: eb.ref('excluded.reference'),
            updated_at: sql<Date>`now()`,
          })),
        )
        .execute();
    },

    /** The bot was removed from the conversation (or uninstalled there): it can no longer write into it. */
    async forget(conversationId: string): Promise<void> {
      await db.deleteFrom('teams_conversations').where('conversation_id', '=', conversationId).execute();
    },

    /** A stored conversation; with `tenantId`, only if it is in that tenant. */
    async load(conversationId: string, tenantId?: string): Promise<Reference | undefined> {
      let query = db.selectFrom('teams_conversations').select('reference').where('conversation_id', '=', conversationId);
      if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
      return parse(await query.executeTakeFirst());
    },

    /**
     * A team channel the bot has seen only threads of (a message in a channel is its thread,
     * `…;messageid=…`): the latest thread's reference, pointed at the channel itself, where a post
     * starts a new thread. It is saved under the channel's id, so the next load finds it at once.
     */
    async channelFromThread(channelId: string): Promise<Reference | undefined> {
      const row = await db
        .selectFrom('teams_conversations')
        .select(['reference', 'tenant_id'])
        .where(sql<boolean>`starts_with(conversation_id, ${`${channelId};messageid=`})`)
        .orderBy('updated_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const thread = parse(row);
      if (!row || !thread) return undefined;
      const channel: Reference = { ...thread, conversation: { ...thread.conversation, id: channelId } };
      await store.save(channel, row.tenant_id, undefined);
      return channel;
    },

    /** The user's 1:1 chat with the bot, if the bot has seen it. */
    async personalChat(tenantId: string, userId: string): Promise<Reference | undefined> {
      return parse(await personalChatRow(tenantId, userId));
    },

    /**
     * Someone the bot has met in the tenant, by Teams user id or AAD object id: a 1:1 chat with them
     * that it keeps says who they are (their Teams id, their name and their AAD object id, where
     * Teams gave them).
     */
    async metInTenant(tenantId: string, userId: string): Promise<{ id: string; name: string; aadObjectId?: string } | undefined> {
      const row = await personalChatRow(tenantId, userId);
      const user = parse(row)?.user;
      if (!row?.personal_user_id || !user?.name) return undefined;
      return { id: row.personal_user_id, name: user.name, ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}) };
    },

    /** Any conversation in the tenant: it knows the service URL and the bot's id there, to start a new chat. */
    async anyInTenant(tenantId: string): Promise<Reference | undefined> {
      return parse(
        await db
          .selectFrom('teams_conversations')
          .select('reference')
          .where('tenant_id', '=', tenantId)
          .orderBy('updated_at', 'desc')
          .limit(1)
          .executeTakeFirst(),
      );
    },

    /** Team channels and group chats the bot is in, in the tenant: their rosters reach beyond a 1:1 chat. */
    async groupConversations(tenantId: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('teams_conversations')
        .select('conversation_id')
        .where('tenant_id', '=', tenantId)
        .where('personal_user_id', 'is', null)
        .orderBy('updated_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.conversation_id);
    },
  };
  return store;
}

export type ConversationStore = ReturnType<typeof conversationStore>;
