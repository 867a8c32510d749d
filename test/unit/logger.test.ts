import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';

function captured(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger('trace', { secrets, destination: { write: (line: string) => lines.push(line) } });
  return { logger, logged: () => lines.join('') };
}

describe('the logger', () => {
  it("redacts an HTTP client error's request config and headers, whatever the token looks like", () => {
    const { logger, logged } = captured();
    const err = Object.assign(new Error('Request failed with status code 500'), {
      config: { url: 'https://slack.com/api/chat.postMessage', headers: { Authorization: 'Bearer opaque-credential-1' } },
      request: { headers: { authorization: 'Bearer opaque-credential-2' } },
    });
    logger.error({ err, req: { headers: { authorization: 'Bearer opaque-credential-3' } }, install: { bot: { token: 'opaque-credential-4' } } }, 'failed');
    expect(logged()).toContain('chat.postMessage');
    expect(logged()).not.toMatch(/opaque-credential/);
  });

  it('scrubs tokens written into messages and error texts, and the configured secrets by value', () => {
    const { logger, logged } = captured(['signing-secret-value']);
    logger.debug('http request headers: {"Authorization":"Bearer abc.def-123"}');
    logger.warn({ err: new Error('token xoxb-1-2-abc revoked; refresh xoxe-1-xyz; app xapp-1-A-2') }, 'call failed with signing-secret-value');
    expect(logged()).toContain('call failed with [Redacted]');
    expect(logged()).not.toMatch(/abc\.def-123|xox[a-z]-|xapp-|signing-secret-value/);
  });
});
