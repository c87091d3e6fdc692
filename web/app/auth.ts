/**
 * Who is signed in. Locally, a development token pasted in (`reintegrate tokens mint`); in a
 * deployment, an OpenID Connect provider with the authorization code flow and PKCE (RFC 7636),
 * configured by the host's /config.json. The token is kept on the device so that the app works
 * offline; the services verify it on every call, the app only reads its claims to know what
 * to show.
 */

export interface Session {
  token: string;
  subject: string;
  roles: string[];
  offices: string[];
  office: string;
  expiresAt: number; // seconds since the epoch
  via: "token" | "oidc";
}

export interface OidcConfig {
  authorization_endpoint: string;
  token_endpoint: string;
  client_id: string;
  scope: string;
}

export interface AppConfig {
  oidc: OidcConfig | null;
  dev_tokens: boolean;
}

const SESSION_KEY = "staff.session";
const PKCE_KEY = "staff.pkce";
export const CALLBACK_PATH = "/signin/callback";

function base64UrlDecode(part: string): string {
  const padded = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function base64UrlEncode(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The claims of a JWT, unverified (the services verify it); throws on a malformed token. */
export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  const claims: unknown = JSON.parse(base64UrlDecode(part));
  if (typeof claims !== "object" || claims === null) throw new Error("not a JWT");
  return claims as Record<string, unknown>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function sessionFromToken(token: string, via: Session["via"]): Session {
  const claims = claimsOf(token.trim());
  const subject = typeof claims.sub === "string" ? claims.sub : "";
  const expiresAt = typeof claims.exp === "number" ? claims.exp : 0;
  if (!subject) throw new Error("token has no subject");
  const offices = strings(claims.country_offices).map((o) => o.toLowerCase());
  return {
    token: token.trim(),
    subject,
    roles: strings(claims.roles),
    offices,
    office: offices[0] ?? "",
    expiresAt,
    via,
  };
}

export function expired(session: Session, now = Date.now() / 1000): boolean {
  return session.expiresAt <= now;
}

export function loadSession(): Session | null {
  const raw = localStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

export async function loadConfig(): Promise<AppConfig> {
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    if (response.ok) {
      const config = (await response.json()) as AppConfig;
      localStorage.setItem("staff.config", JSON.stringify(config));
      return config;
    }
  } catch {
    // offline: the last configuration seen
  }
  const cached = localStorage.getItem("staff.config");
  return cached ? (JSON.parse(cached) as AppConfig) : { oidc: null, dev_tokens: true };
}

function randomText(bytes = 32): string {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

function redirectUri(): string {
  return `${location.origin}${CALLBACK_PATH}`;
}

/** Leave for the provider's sign-in page; it comes back to CALLBACK_PATH with a code. */
export async function startOidcSignIn(oidc: OidcConfig): Promise<void> {
  const verifier = randomText();
  const state = randomText(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(oidc.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: oidc.client_id,
    redirect_uri: redirectUri(),
    scope: oidc.scope,
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
}

/** Back from the provider: exchange the code (with the verifier) for the access token. */
export async function finishOidcSignIn(oidc: OidcConfig, search: string): Promise<Session> {
  const params = new URLSearchParams(search);
  const stored = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? "null") as
    | { verifier: string; state: string }
    | null;
  sessionStorage.removeItem(PKCE_KEY);
  if (params.get("error")) throw new Error(params.get("error_description") ?? params.get("error") ?? "");
  const code = params.get("code");
  // The state ties the answer to the request this tab made (no sign-in forced on the user).
  if (!code || !stored || params.get("state") !== stored.state) throw new Error("state_mismatch");
  const response = await fetch(oidc.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: oidc.client_id,
      code_verifier: stored.verifier,
    }).toString(),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  const answer = (await response.json()) as { access_token?: string };
  if (!answer.access_token) throw new Error("no access_token");
  return sessionFromToken(answer.access_token, "oidc");
}
