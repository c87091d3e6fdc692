import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { read } from "../cache";
import { formatDate, t, term, type MessageKey } from "../i18n";
import { ACTS, NOT_YET, actById } from "../forms/acts";
import { initialValues, today, type Values } from "../forms/fields";
import { mayRead, SOURCES, sourceUrl, type SourceName } from "../forms/sources";
import { newKey } from "../outbox";
import { paths } from "../paths";
import { hasRole } from "../roles";
import { openDraft } from "./ActForm";
import { useApp } from "./context";
import { useRead } from "./useRead";

type Row = Record<string, unknown>;
const s = (v: unknown) => (v === null || v === undefined ? "" : String(v));

function start(act: string, values: Values) {
  const def = actById(act);
  if (def) openDraft({ act, values: { ...initialValues(def.fields, newKey), ...values } });
}

function WorkList(props: {
  id: string;
  title: MessageKey;
  url: string;
  filter?: (row: Row) => boolean;
  line: (row: Row) => ComponentChildren;
  action?: { act: string; label: MessageKey; values: (row: Row) => Values };
}) {
  const list = useRead<Row[]>(props.url);
  const rows = (Array.isArray(list.data?.body) ? list.data.body : []).filter(props.filter ?? (() => true));
  return (
    <section class="worklist" data-list={props.id} aria-labelledby={`list-${props.id}`}>
      <h3 id={`list-${props.id}`}>
        {t(props.title)} <span class="count">({rows.length})</span>
      </h3>
      {list.data?.fromCache ? (
        <p class="hint">{t("as_of", { when: formatDate(list.data.fetchedAt) })}</p>
      ) : null}
      {list.error && !list.data ? <p class="hint">{t("list.unavailable")}</p> : null}
      {rows.length === 0 && list.data ? <p class="hint">{t("list.empty")}</p> : null}
      <ul>
        {rows.slice(0, 50).map((row, index) => (
          <li key={index}>
            {props.line(row)}{" "}
            {props.action ? (
              <button type="button" class="link" onClick={() => start(props.action!.act, props.action!.values(row))}>
                {t(props.action.label)}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Home() {
  const { session, online } = useApp();
  const cc = session.office;
  const [prepared, setPrepared] = useState<string | null>(null);
  const acts = ACTS.filter((a) => hasRole(session, ...a.roles));

  async function prepare() {
    const urls = (Object.keys(SOURCES) as SourceName[])
      .filter((name) => mayRead(session, name) && name !== "trainees")
      .map((name) => sourceUrl(name, cc));
    if (hasRole(session, "caseworker", "monitoring_officer")) {
      urls.push(paths.scoringConfig(cc, "standard"), paths.overdue(cc));
    }
    if (hasRole(session, "caseworker")) urls.push(paths.myCases(cc));
    let kept = 0;
    for (const url of urls) {
      try {
        await read(url, session.token, session.subject);
        kept += 1;
      } catch {
        // a list this role may not read after all: the others still go on the device
      }
    }
    setPrepared(t("prepared", { n: kept }));
  }

  return (
    <div class="home">
      <section aria-labelledby="acts-title">
        <h2 id="acts-title">{t("home.acts")}</h2>
        {acts.length === 0 ? <p>{t("home.no_acts")}</p> : null}
        <ul class="acts">
          {acts.map((a) => (
            <li key={a.id}>
              <a href={`#/act/${a.id}`} data-act-link={a.id}>
                {t(a.title)}
              </a>
            </li>
          ))}
          {hasRole(session, "caseworker") ? (
            <li>
              <a href="#/import">{t("import.title")}</a>
            </li>
          ) : null}
        </ul>
        <p class="hint">
          {t("home.not_yet")} {NOT_YET.map((k) => t(k)).join(", ")}.
        </p>
        <button type="button" class="secondary" disabled={!online} onClick={() => void prepare()}>
          {t("prepare")}
        </button>
        {prepared ? <p role="status">{prepared}</p> : null}
      </section>
      <section aria-labelledby="lists-title">
        <h2 id="lists-title">{t("home.lists")}</h2>
        {hasRole(session, "caseworker") ? (
          <WorkList
            id="my-cases"
            title="list.my_cases"
            url={paths.myCases(cc)}
            line={(r) => (
              <>
                <code>{s(r.returnee_id).slice(0, 8)}</code> · {s((r.community as Row | undefined)?.commune)} ·{" "}
                {term("Stage", s(r.stage))}
              </>
            )}
          />
        ) : null}
        {hasRole(session, "caseworker", "monitoring_officer") ? (
          <>
            <WorkList
              id="my-overdue"
              title="list.my_overdue"
              url={`${paths.overdue(cc)}?caseworker=${encodeURIComponent(session.subject)}`}
              line={(r) => (
                <>
                  <code>{s(r.returnee_id).slice(0, 8)}</code> · {formatDate(s(r.due_on))} ·{" "}
                  {t("days_overdue", { n: s(r.days_overdue) })} · {s(r.commune)}
                </>
              )}
              action={{ act: "follow-up", label: "act.follow_up", values: (r) => ({ "@returnee_id": s(r.returnee_id) }) }}
            />
            <WorkList
              id="overdue"
              title="list.overdue"
              url={paths.overdue(cc)}
              line={(r) => (
                <>
                  <code>{s(r.returnee_id).slice(0, 8)}</code> · {s(r.caseworker)} · {formatDate(s(r.due_on))}
                </>
              )}
              action={{ act: "follow-up", label: "act.follow_up", values: (r) => ({ "@returnee_id": s(r.returnee_id) }) }}
            />
            <WorkList
              id="cases"
              title="list.cases"
              url={sourceUrl("returnees", cc)}
              line={(r) => (
                <>
                  <code>{s(r.returnee_id).slice(0, 8)}</code> · {s((r.community as Row | undefined)?.commune)} ·{" "}
                  {term("Stage", s(r.stage))} · {r.caseworker ? s(r.caseworker) : t("unassigned")}
                </>
              )}
              action={
                hasRole(session, "office_manager")
                  ? { act: "assign-case", label: "assign", values: (r) => ({ "@returnee_id": s(r.returnee_id) }) }
                  : undefined
              }
            />
          </>
        ) : null}
        {hasRole(session, "training_officer") ? (
          <WorkList
            id="cohorts-today"
            title="list.cohorts_today"
            url={sourceUrl("cohorts", cc)}
            filter={(r) => s(r.start_date) <= today() && today() <= s(r.end_date)}
            line={(r) => (
              <>
                {term("CourseKind", s(r.kind))} · {s(r.commune)} · {s(r.enrolled)}/{s(r.capacity)}
              </>
            )}
            action={{ act: "attendance", label: "act.attendance", values: (r) => ({ "@cohort_id": s(r.cohort_id) }) }}
          />
        ) : null}
        {hasRole(session, "procurement_officer") ? (
          <>
            <WorkList
              id="awaiting-review"
              title="list.awaiting_review"
              url={`${paths.budgetReviews(cc)}?awaiting_officer=true`}
              line={(r) => (
                <>
                  <code>{s(r.plan_id).slice(0, 8)}</code> · {s(r.flagged_lines)} {t("flagged_lines")}
                </>
              )}
              action={{ act: "budget-review", label: "act.budget_review", values: (r) => ({ "@plan_id": s(r.plan_id) }) }}
            />
            <WorkList
              id="kits-awaited"
              title="list.kits_awaited"
              url={sourceUrl("ordersAwaited", cc)}
              line={(r) => (
                <>
                  {s(r.trade)} · {s(r.total)} {s(r.currency)}
                </>
              )}
            />
          </>
        ) : null}
        {hasRole(session, "committee_secretary") ? (
          <WorkList
            id="awaiting-decision"
            title="list.awaiting_decision"
            url={sourceUrl("plansAwaitingDecision", cc)}
            line={(r) => (
              <>
                {s(r.activity)} · {s(r.commune)} · {s(r.reviewed_total)} {s(r.currency)}
              </>
            )}
            action={{ act: "decision", label: "act.decision", values: (r) => ({ "@plan_id": s(r.plan_id) }) }}
          />
        ) : null}
      </section>
    </div>
  );
}
