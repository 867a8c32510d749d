/**
 * Slack's Web API for `npm run bench`: the stub from test/support/slack-stub.ts in a process of its
 * own, started by bench/load.ts with an IPC channel. Slack's API servers are not the client that
 * sends the commands: in one process, the stub's work (three calls per kudos) and its garbage
 * delayed the timing of the acks, for the bot only.
 *
 * It answers `{ ready: { apiUrl, responseUrlPrefix } }`, then tells its parent about each kudos' channel post
 * (`{ post: { triggerId, at } }`, stamped with the sub-ms wall clock as the call is recorded) and
 * each DM to the recipient (`{ dm: true }`). It exits when its parent goes.
 */
import { CHANNEL, type FromSlackApi, hiresNow, MESSAGE_PREFIX, RECIPIENT, roster } from './load';
import { startSlackStub } from '../test/support/slack-stub';

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('bench/slack-api.ts is started by bench/load.ts, with an IPC channel');
  const tell = (message: FromSlackApi) => void send(message);
  const stub = await startSlackStub({ users: roster });
  const triggerRe = new RegExp(`${MESSAGE_PREFIX} (t-[A-Za-z0-9-]+)`);
  // The predicate runs right after each call is recorded; the stub then forgets the call (it keeps
  // every one, body included, and a phase's worth made each young-generation GC copy them all).
  const seen = () => {
    const at = hiresNow();
    for (const call of stub.calls) {
      if (call.method !== 'chat.postMessage') continue;
      if (call.body.channel === RECIPIENT) tell({ dm: true });
      if (call.body.channel !== CHANNEL) continue;
      const triggerId = triggerRe.exec(JSON.stringify(call.body.blocks))?.[1];
      if (triggerId) tell({ post: { triggerId, at } });
    }
    stub.reset();
    return false;
  };
  stub.waitFor(seen, 2 ** 31 - 1).catch(() => {});
  process.on('disconnect', () => process.exit(0));
  tell({ ready: { apiUrl: stub.apiUrl, responseUrlPrefix: stub.responseUrl('') } });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
