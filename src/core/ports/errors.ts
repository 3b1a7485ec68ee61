/**
 * Every failure a user can see is a DocentError: a stable `code` for logs and tests,
 * and a `userMessage` that says what went wrong and what to do about it.
 * Core code throws these; only the command runner (and later the digest job) catches them.
 */
export class DocentError extends Error {
  readonly code: string;
  readonly userMessage: string;

  constructor(code: string, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(options?.detail ?? userMessage, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = userMessage;
  }
}

/** The user asked for something malformed: a bad argument, a missing file, an unknown document. */
export class BadInputError extends DocentError {}

/** A document Docent received but cannot read: not a PDF, corrupt, encrypted, no text, too large. */
export class UnreadableDocumentError extends DocentError {}

/** The user may not do this here (changing a channel's settings or schedules without the right). */
export class PermissionDeniedError extends DocentError {
  constructor(userMessage: string) {
    super('forbidden', userMessage);
  }
}

/** A configured capability is switched off because a variable is missing. */
export class NotConfiguredError extends DocentError {
  readonly variable: string;
  constructor(variable: string, userMessage: string) {
    super('not_configured', userMessage);
    this.variable = variable;
  }
}

/** An upstream provider (Gemini, Groq, Qdrant) failed. `retryable` says whether trying again may help. */
export class ProviderError extends DocentError {
  readonly provider: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    provider: string,
    userMessage: string,
    options: { retryable: boolean; retryAfterMs?: number; status?: number; cause?: unknown; detail?: string; code?: string },
  ) {
    super(options.code ?? 'provider_error', userMessage, { cause: options.cause, detail: options.detail });
    this.provider = provider;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** The provider said "slow down" and kept saying it after our retries. */
export class RateLimitError extends ProviderError {
  constructor(provider: string, retryAfterMs: number | undefined, cause?: unknown) {
    const wait = retryAfterMs === undefined ? 'a moment' : `${Math.ceil(retryAfterMs / 1000)} s`;
    super(provider, `${provider} is rate-limiting Docent right now. Try again in ${wait}.`, {
      retryable: true,
      retryAfterMs,
      status: 429,
      cause,
      code: 'rate_limited',
    });
  }
}

/**
 * The database that holds Docent's state (PostgreSQL) cannot be reached: refused, dropped or shut
 * down. Raised at the store's boundary from connection-level failures only; the message keeps
 * the driver's reason for the logs, the user is told to try again shortly.
 */
export class DatabaseUnavailableError extends DocentError {
  constructor(options: { cause?: unknown; detail?: string } = {}) {
    super('database_unavailable', "Docent can't reach its database; try again in a minute.", options);
  }
}

export function isDocentError(error: unknown): error is DocentError {
  return error instanceof DocentError;
}
