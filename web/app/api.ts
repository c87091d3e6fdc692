/**
 * Calls to the services through the host's `/api/<service>/...`, with the user's token.
 *
 * Every 4xx answer of the platform is JSON `{error, detail, ...}`: 422 adds `fields`, a 409
 * refused by a rule of the field adds `rule`. ApiError keeps all of it, so the app can say in
 * the user's language what was refused and why.
 */

export interface FieldProblem {
  field: string;
  reason: string;
}

export interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
  dryRun: boolean;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly rule: string | undefined,
    readonly fields: FieldProblem[],
    readonly context: Record<string, unknown> | undefined,
  ) {
    super(detail || code);
  }

  /** A refusal stays a refusal on retry; anything else may go through later. */
  get isRefusal(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

/** No answer at all: offline, or the host is down. The submission stays queued. */
export class NetworkError extends Error {}

export interface RequestOptions {
  token?: string | undefined;
  body?: unknown;
  idempotencyKey?: string | undefined;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export async function send(method: string, url: string, options: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  if (options.dryRun) headers["Dry-Run"] = "true";
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      cache: "no-store",
      signal: options.signal ?? null,
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  if (!response.ok) throw toError(response.status, body);
  return {
    status: response.status,
    body,
    replayed: response.headers.get("Idempotent-Replayed") === "true",
    dryRun: response.headers.get("Dry-Run") === "true",
  };
}

export function toError(status: number, body: unknown): ApiError {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const code = typeof b.error === "string" ? b.error : status >= 500 ? "service_unavailable" : "http_error";
  const fields = Array.isArray(b.fields)
    ? b.fields.filter(
        (f): f is FieldProblem =>
          typeof f === "object" && f !== null && typeof f.field === "string" && typeof f.reason === "string",
      )
    : [];
  return new ApiError(
    status,
    code,
    typeof b.detail === "string" ? b.detail : "",
    typeof b.rule === "string" ? b.rule : undefined,
    fields,
    typeof b.context === "object" && b.context !== null ? (b.context as Record<string, unknown>) : undefined,
  );
}

export async function getJson<T>(url: string, token: string | undefined): Promise<T> {
  return (await send("GET", url, { token })).body as T;
}
