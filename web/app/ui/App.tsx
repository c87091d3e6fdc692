import { useCallback, useEffect, useState } from "preact/hooks";
import {
  CALLBACK_PATH,
  expired,
  finishOidcSignIn,
  loadConfig,
  loadSession,
  saveSession,
  type AppConfig,
  type Session,
} from "../auth";
import { forget } from "../cache";
import { actById } from "../forms/acts";
import { lang, LANGS, onLangChange, setLang, t, type Lang } from "../i18n";
import { flush } from "../outbox";
import { hasRole } from "../roles";
import { ActForm } from "./ActForm";
import { Ctx, type AppContext } from "./context";
import { Home } from "./Home";
import { Import } from "./Import";
import { Outbox, useOutbox } from "./Outbox";
import { SignIn } from "./SignIn";

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return hash;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    addEventListener("online", up);
    addEventListener("offline", down);
    return () => {
      removeEventListener("online", up);
      removeEventListener("offline", down);
    };
  }, []);
  return online;
}

function LanguageChoice() {
  return (
    <div class="lang">
      <label for="lang">{t("language")}</label>
      <select id="lang" value={lang()} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {l === "fr" ? "Français" : "English"}
          </option>
        ))}
      </select>
    </div>
  );
}

function Page({ hash }: { hash: string }) {
  const route = hash.replace(/^#\/?/, "");
  if (route.startsWith("act/")) {
    const act = actById(route.slice(4));
    return act ? <ActForm key={act.id} act={act} /> : <p>{t("not_found")}</p>;
  }
  if (route === "outbox") return <Outbox />;
  if (route === "import") return <Import />;
  return <Home />;
}

function SignedIn({ session, onSignOut, onOffice }: { session: Session; onSignOut: () => void; onOffice: (cc: string) => void }) {
  const hash = useHash();
  const online = useOnline();
  const outbox = useOutbox(session.subject);
  const pending = outbox.filter((i) => i.status === "pending").length;
  const sync = useCallback(async () => {
    await flush(session.token, session.subject);
  }, [session.token, session.subject]);
  useEffect(() => {
    if (online) void sync();
  }, [online, sync]);
  const ctx: AppContext = { session, online, sync };
  return (
    <Ctx.Provider value={ctx}>
      <header>
        <h1>
          <a href="#/">{t("app.title")}</a>
        </h1>
        <nav aria-label={t("nav.label")}>
          <a href="#/">{t("nav.home")}</a>
          <a href="#/outbox" data-pending={pending}>
            {t("nav.outbox", { n: pending })}
          </a>
        </nav>
        <p class={online ? "net online" : "net offline"} role="status" data-online={String(online)}>
          {online ? t("net.online") : t("net.offline")}
        </p>
        <div class="who">
          <span data-subject={session.subject}>{session.subject}</span>
          {session.offices.length > 1 ? (
            <>
              <label for="office">{t("office")}</label>
              <select id="office" value={session.office} onChange={(e) => onOffice(e.currentTarget.value)}>
                {session.offices.map((o) => (
                  <option key={o} value={o}>
                    {o.toUpperCase()}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <span>
              {" "}
              · {t("office")} {session.office.toUpperCase()}
            </span>
          )}
          <span class="roles">
            {" "}
            · {session.roles.map((r) => t(`role.${r}` as "role.caseworker")).join(", ")}
          </span>
          <LanguageChoice />
          <button type="button" class="secondary" onClick={onSignOut}>
            {t("signout")}
          </button>
        </div>
      </header>
      <main id="main">
        {hasRole(session, "hq_analyst") && !session.office ? <p>{t("hq.no_forms")}</p> : <Page hash={hash} />}
      </main>
    </Ctx.Provider>
  );
}

export function App() {
  const [, rerender] = useState(0);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [session, setSession] = useState<Session | null>(() => {
    const s = loadSession();
    return s && !expired(s) ? s : null;
  });
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => onLangChange(() => rerender((n) => n + 1)), []);
  useEffect(() => {
    document.documentElement.lang = lang();
    void loadConfig().then(async (c) => {
      setConfig(c);
      if (location.pathname === CALLBACK_PATH && c.oidc) {
        try {
          const s = await finishOidcSignIn(c.oidc, location.search);
          saveSession(s);
          setSession(s);
        } catch {
          setProblem(t("signin.failed"));
        }
        history.replaceState(null, "", "/");
      }
    });
  }, []);
  if (!config) return <p>{t("loading")}</p>;
  if (!session) {
    return (
      <>
        <header>
          <h1>{t("app.title")}</h1>
          <LanguageChoice />
        </header>
        <main id="main">
          <SignIn
            config={config}
            problem={problem}
            onSession={(s) => {
              saveSession(s);
              setSession(s);
            }}
          />
        </main>
      </>
    );
  }
  return (
    <SignedIn
      session={session}
      onOffice={(office) => {
        const s = { ...session, office };
        saveSession(s);
        setSession(s);
      }}
      onSignOut={() => {
        void forget(session.subject);
        saveSession(null);
        setSession(null);
      }}
    />
  );
}
