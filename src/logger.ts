import pino from 'pino';

export type Logger = pino.Logger;

/** Where log lines go: stdout unless a test captures them. */
export interface LogDestination {
  write(line: string): unknown;
}

/** Fields that hold a credential, wherever a logged object (a request, an error's config) carries them. */
const CREDENTIAL_FIELDS = ['token', 'botToken', 'userToken', 'refreshToken', 'refresh_token', 'access_token', 'client_secret', 'clientSecret', 'signingSecret'];
const REDACT_PATHS = [
  ...['req.headers', 'headers', 'config.headers', 'err.config.headers', 'err.headers', 'err.request.headers'].flatMap((h) => [
    `${h}.authorization`,
    `${h}.Authorization`,
  ]),
  ...CREDENTIAL_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/**
 * Slack tokens by their shape (bot, user, rotating, refresh, app-level), and a bearer credential
 * wherever it was written into a message or an error's text, which `redact` paths can't reach.
 */
const TOKEN_SHAPES = /\b(?:xox[a-z]|xapp)[.-][\w.-]*|(?<=Bearer )[^\s"\\]+/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every line passes through here on its way out: tokens by shape, and the configured secrets by value. */
function scrubbing(destination: LogDestination, secrets: string[]): LogDestination {
  const known = secrets.filter((s) => s.length >= 8);
  const pattern = known.length > 0 ? new RegExp(`${TOKEN_SHAPES.source}|${known.map(escapeRegExp).join('|')}`, 'g') : TOKEN_SHAPES;
  return { write: (line) => destination.write(line.replace(pattern, '[Redacted]')) };
}

/**
 * JSON lines that never carry a credential: known fields are redacted, and every line is scrubbed
 * of token shapes and of `secrets` (the signing and client secrets, the configured tokens), so a
 * library that puts one into a message or an error (the Slack Web API client's debug lines, an
 * HTTP client's request config) can't leak it even at trace level.
 */
export function createLogger(level: string, { secrets = [], destination = process.stdout }: { secrets?: string[]; destination?: LogDestination } = {}): Logger {
  return pino({ level, base: { service: 'hepo' }, redact: { paths: REDACT_PATHS, censor: '[Redacted]' } }, scrubbing(destination, secrets));
}
