import { useState } from "preact/hooks";
import { sessionFromToken, startOidcSignIn, type AppConfig, type Session } from "../auth";
import { t } from "../i18n";

export function SignIn({ config, onSession, problem }: { config: AppConfig; onSession: (s: Session) => void; problem?: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>(problem);
  return (
    <section class="signin" aria-labelledby="signin-title">
      <h2 id="signin-title">{t("signin.title")}</h2>
      {config.oidc ? (
        <p>
          <button type="button" onClick={() => void startOidcSignIn(config.oidc!)}>
            {t("signin.oidc")}
          </button>
        </p>
      ) : null}
      {config.dev_tokens ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            try {
              const session = sessionFromToken(token, "token");
              if (!session.offices.length && !session.roles.includes("hq_analyst")) throw new Error("no office");
              onSession(session);
            } catch {
              setError(t("signin.bad_token"));
            }
          }}
        >
          <div class="field">
            <label for="token">{t("signin.token")}</label>
            <textarea id="token" value={token} onInput={(e) => setToken(e.currentTarget.value)} aria-describedby="token-hint" />
            <span class="hint" id="token-hint">
              {t("signin.token_hint")}
            </span>
          </div>
          <button type="submit">{t("signin.submit")}</button>
        </form>
      ) : null}
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
