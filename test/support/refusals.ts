import { Invalid } from '../../src/chat/errors';

/** The field and message of the Invalid that `f` throws, undefined when it throws none; any other error goes on. */
export function refusalOf(f: () => unknown): [string | undefined, string] | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof Invalid) return [e.field, e.message];
    throw e;
  }
  return undefined;
}
