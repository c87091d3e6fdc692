import { useEffect, useMemo, useState } from "preact/hooks";
import { errorMessage, ruleMessage, t, term, vocab } from "../i18n";
import { formPath, initialValues, missingRequired, setPath, valuesFrom, type Value, type Values } from "../forms/fields";
import type { Act } from "../forms/acts";
import type { Option } from "../forms/sources";
import { enqueue, itemBySeq as readItem, newKey, type Refusal } from "../outbox";
import { paths } from "../paths";
import { maySeePersonalData } from "../roles";
import { useApp } from "./context";
import { FieldInput } from "./FieldInput";
import { useRead } from "./useRead";

/** A form opened again from the outbox: its values and why the service refused it. */
export interface Draft {
  act: string;
  values: Values;
  refusal?: Refusal;
}
let handedOver: Draft | null = null;
export function openDraft(draft: Draft): void {
  handedOver = draft;
  location.hash = `#/act/${draft.act}`;
}

type Outcome =
  | { kind: "sent"; replayed: boolean; answer: unknown }
  | { kind: "queued" }
  | { kind: "refused"; refusal: Refusal }
  | { kind: "incomplete" }
  | { kind: "error" };

function errorsOf(refusal: Refusal | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of refusal?.fields ?? []) errors[formPath(f.field)] = f.reason;
  return errors;
}

export function summaryOf(values: Values): string {
  const pick = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : "");
  const id = pick("@returnee_id") || pick("returnee_id") || pick("@cohort_id") || pick("@plan_id") || pick("@order_id");
  const day = ["visited_on", "held_on", "day", "arrival_date", "scored_on", "delivered_on", "completed_on"]
    .map(pick)
    .find(Boolean);
  return [id.slice(0, 8), day].filter(Boolean).join(" · ");
}

export function ActForm({ act }: { act: Act }) {
  const { session, online, sync } = useApp();
  const draft = useMemo(() => {
    const d = handedOver && handedOver.act === act.id ? handedOver : null;
    handedOver = null;
    return d;
  }, [act.id]);
  const formId = `form-${act.id}`;
  const [values, setValues] = useState<Values>(() => draft?.values ?? initialValues(act.fields, newKey));
  const [errors, setErrors] = useState<Record<string, string>>(() => errorsOf(draft?.refusal));
  const [outcome, setOutcome] = useState<Outcome | null>(() =>
    draft?.refusal ? { kind: "refused", refusal: draft.refusal } : null,
  );
  const [busy, setBusy] = useState(false);
  // A form editing what is in force opens on it (from the service, or offline the device's copy).
  const inForce = useRead<unknown>(act.current && !draft ? act.current(session.office) : undefined);
  useEffect(() => {
    const body = inForce.data?.body;
    if (body !== undefined) setValues(valuesFrom(act.fields, body, newKey));
  }, [inForce.data]);
  // How many submissions have come back: tests and screen readers wait on a change.
  const [finished, setFinished] = useState(0);

  const onChange = (path: string, value: Value, option?: Option) => {
    setValues((current) => {
      const next = setPath(current, path, value);
      return option && act.prefill ? act.prefill(path, option, next) : next;
    });
  };

  async function submit(extra?: Values) {
    const sending = extra ? { ...values, ...extra } : values;
    const missing = missingRequired(act.fields, sending);
    if (missing.length) {
      setErrors(Object.fromEntries(missing.map((p) => [p, "Field required"])));
      setOutcome({ kind: "incomplete" });
      setFinished((n) => n + 1);
      return;
    }
    setBusy(true);
    setErrors({});
    setOutcome(null);
    try {
      const request = act.request(sending, session.office);
      const queued = await enqueue(
        { act: act.id, ...request, summary: summaryOf(sending), values: sending },
        session.subject,
        session.office,
      );
      if (online) await sync();
      const after = await readItem(queued.seq);
      if (after?.status === "sent") {
        setOutcome({ kind: "sent", replayed: after.replayed === true, answer: after.answer });
        // The next one gets ids of its own; a form of what is in force shows what now is.
        setValues(act.current ? sending : initialValues(act.fields, newKey));
      } else if (after?.status === "refused" && after.refusal) {
        setOutcome({ kind: "refused", refusal: after.refusal });
        setErrors(errorsOf(after.refusal));
      } else {
        setOutcome({ kind: "queued" });
        setValues(act.current ? sending : initialValues(act.fields, newKey));
      }
    } catch (error) {
      // Not the service's answer: the device could not queue it (storage full or denied).
      console.error(error);
      setOutcome({ kind: "error" });
    } finally {
      setBusy(false);
      setFinished((n) => n + 1);
    }
  }

  const refusal = outcome?.kind === "refused" ? outcome.refusal : undefined;
  return (
    <section aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t(act.title)}</h2>
      {act.intro ? <p class="intro">{t(act.intro)}</p> : null}
      {act.current ? <InForce version={versionOf(inForce.data?.body)} /> : null}
      <form
        id={formId}
        data-act={act.id}
        data-finished={finished}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {act.fields.map((field) => (
          <FieldInput
            key={field.path}
            field={field}
            values={values}
            prefix=""
            onChange={onChange}
            errors={errors}
            formId={formId}
          />
        ))}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {online ? t("submit") : t("submit_offline")}
          </button>
        </div>
      </form>
      <div aria-live="polite" data-submission={finished}>
        {outcome?.kind === "sent" ? (
          <p class="notice ok" role="status" data-outcome="sent">
            {outcome.replayed ? t("outcome.replayed") : t("outcome.sent")}
            <AnswerSummary answer={outcome.answer} />
          </p>
        ) : null}
        {outcome?.kind === "queued" ? (
          <p class="notice" role="status" data-outcome="queued">
            {t("outcome.queued")}
          </p>
        ) : null}
        {outcome?.kind === "incomplete" ? (
          <p class="notice error" role="alert" data-outcome="incomplete">
            {t("outcome.incomplete")}
          </p>
        ) : null}
        {outcome?.kind === "error" ? (
          <p class="notice error" role="alert" data-outcome="error">
            {t("outcome.error")}
          </p>
        ) : null}
        {refusal ? <RefusalNotice refusal={refusal} /> : null}
        {refusal?.rule === "likely_duplicate" ? (
          <DuplicateOverride refusal={refusal} onOverride={(override) => void submit({ duplicate_override: override })} />
        ) : null}
      </div>
    </section>
  );
}

function AnswerSummary({ answer }: { answer: unknown }) {
  const a = (answer ?? {}) as Record<string, unknown>;
  const id = a.returnee_id ?? a.plan_id ?? a.session_id ?? a.id ?? a.visit_id ?? a.survey_id ?? a.order_id;
  return typeof id === "string" ? (
    <>
      {" "}
      <span class="id" data-answer-id={id}>
        {t("reference")}: {id}
      </span>
    </>
  ) : null;
}

export function RefusalNotice({ refusal }: { refusal: Refusal }) {
  const message = refusal.rule ? ruleMessage(refusal.rule) : errorMessage(refusal.code);
  return (
    <div class="notice error" role="alert" data-outcome="refused" data-rule={refusal.rule ?? refusal.code}>
      <strong>{t("outcome.refused")}</strong> {message}
      {refusal.fields.length ? <p>{t("outcome.fields", { n: refusal.fields.length })}</p> : null}
    </div>
  );
}

interface Person {
  given_names: string;
  family_name: string;
  birth_date: string;
}

function Candidate({ id }: { id: string }) {
  const { session } = useApp();
  const person = useRead<Person>(maySeePersonalData(session) ? paths.personalData(session.office, id) : undefined);
  const p = person.data?.body;
  return (
    <li data-candidate={id}>
      <code>{id.slice(0, 8)}</code>
      {p ? ` ${p.given_names} ${p.family_name} (${p.birth_date})` : ""}
    </li>
  );
}

function DuplicateOverride({ refusal, onOverride }: { refusal: Refusal; onOverride: (o: Values) => void }) {
  const ids = (refusal.context?.candidate_ids as string[] | undefined) ?? [];
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  return (
    <div class="panel" data-panel="duplicates">
      <h3>{t("duplicates.title")}</h3>
      <ul>
        {ids.map((id) => (
          <Candidate key={id} id={id} />
        ))}
      </ul>
      <p>{t("duplicates.explain")}</p>
      <div class="field">
        <label for="override-reason">{t("f.override_reason")}</label>
        <select id="override-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          <option value="">{t("choose")}</option>
          {vocab("OverrideReason").map((v) => (
            <option key={v} value={v}>
              {term("OverrideReason", v)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="override-note">{t("f.override_note")}</label>
        <textarea id="override-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <button
        type="button"
        disabled={!reason}
        onClick={() => onOverride(note.trim() ? { reason, note: note.trim() } : { reason })}
      >
        {t("duplicates.register_anyway")}
      </button>
    </div>
  );
}

function versionOf(body: unknown): number | undefined {
  const version = (body as { version?: unknown } | undefined)?.version;
  return typeof version === "number" ? version : undefined;
}

/** Which version of what is in force the form opened on, or that none is yet. */
function InForce({ version }: { version: number | undefined }) {
  return (
    <p class="in-force" data-version={version ?? ""}>
      {version === undefined ? t("programme.none") : `${t("programme.in_force")}: ${version}`}
    </p>
  );
}
