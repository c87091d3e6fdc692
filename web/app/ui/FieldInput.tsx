import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import { errorMessage, surveyAnswer, surveyQuestion, t, term, vocab } from "../i18n";
import { paths } from "../paths";
import { reason } from "../reasons";
import { getPath, initialValues, setPath, type Field, type Value, type Values } from "../forms/fields";
import { mayRead, options, sourceUrl, type Option } from "../forms/sources";
import { newKey } from "../outbox";
import { useApp } from "./context";
import { useRead } from "./useRead";

export interface FieldProps {
  field: Field;
  values: Values;
  /** The path of `values` inside the form ("budget_lines.0." for a row). */
  prefix: string;
  onChange: (path: string, value: Value, option?: Option) => void;
  errors: Record<string, string>;
  formId: string;
}

const inputId = (formId: string, path: string): string => `${formId}-${path.replace(/[^a-zA-Z0-9]/g, "_")}`;

function ErrorText({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  const said = reason(text);
  return (
    <span class="field-error" id={id} title={said.known ? undefined : text}>
      {said.text}
    </span>
  );
}

function Label({ field, id }: { field: Field; id: string }) {
  return (
    <label for={id}>
      {t(field.label)}
      {field.required ? <span aria-hidden="true"> *</span> : null}
    </label>
  );
}

function Hint({ field, id }: { field: Field; id: string }) {
  return field.hint ? (
    <span class="hint" id={`${id}-hint`}>
      {t(field.hint)}
    </span>
  ) : null;
}

function describedBy(field: Field, id: string, error: string | undefined): string | undefined {
  const ids = [field.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function FieldInput(props: FieldProps): JSX.Element | null {
  const { field, values, prefix, onChange, errors, formId } = props;
  if (field.when && !field.when(values)) return null;
  const path = prefix + field.path;
  const id = inputId(formId, path);
  const error = errors[path];
  const raw = getPath(values, field.path);
  const common = {
    id,
    name: path,
    "data-path": path,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": describedBy(field, id, error),
    required: field.required,
  };
  const text = typeof raw === "string" ? raw : "";
  const wrap = (input: JSX.Element, cls = "field") => (
    <div class={error ? `${cls} invalid` : cls}>
      <Label field={field} id={id} />
      {input}
      <Hint field={field} id={id} />
      <ErrorText id={`${id}-error`} text={error} />
    </div>
  );
  switch (field.kind) {
    case "generated":
    case "hidden":
      return null;
    case "text":
    case "uuid":
      return wrap(
        <input {...common} type="text" value={text} onInput={(e) => onChange(path, e.currentTarget.value)} />,
      );
    case "textarea":
      return wrap(<textarea {...common} value={text} onInput={(e) => onChange(path, e.currentTarget.value)} />);
    case "date":
      return wrap(<input {...common} type="date" value={text} onInput={(e) => onChange(path, e.currentTarget.value)} />);
    case "number":
      return wrap(
        <input
          {...common}
          type="number"
          inputMode="numeric"
          min={field.min}
          max={field.max}
          value={text}
          onInput={(e) => onChange(path, e.currentTarget.value)}
        />,
      );
    case "tags":
    case "lines":
      return wrap(
        field.kind === "lines" ? (
          <textarea {...common} value={text} onInput={(e) => onChange(path, e.currentTarget.value)} />
        ) : (
          <input {...common} type="text" value={text} onInput={(e) => onChange(path, e.currentTarget.value)} />
        ),
      );
    case "bool":
      return (
        <div class={error ? "field check invalid" : "field check"}>
          <input
            {...common}
            required={false}
            type="checkbox"
            checked={raw === true}
            onChange={(e) => onChange(path, e.currentTarget.checked)}
          />
          <Label field={field} id={id} />
          <ErrorText id={`${id}-error`} text={error} />
        </div>
      );
    case "select":
    case "choice": {
      const choices =
        field.kind === "select"
          ? vocab(field.vocab).map((v) => ({ value: v, label: term(field.vocab, v) }))
          : field.options.map((o) => ({ value: o.value, label: t(o.label) }));
      return wrap(
        <select {...common} value={text} onChange={(e) => onChange(path, e.currentTarget.value)}>
          <option value="">{t("choose")}</option>
          {choices.map((c) => (
            <option value={c.value} key={c.value}>
              {c.label}
            </option>
          ))}
        </select>,
      );
    }
    case "multi": {
      const chosen = Array.isArray(raw) ? (raw as string[]) : [];
      return (
        <fieldset class="field group" data-path={path} aria-describedby={error ? `${id}-error` : undefined}>
          <legend>{t(field.label)}</legend>
          {vocab(field.vocab).map((v) => (
            <label class="check" key={v}>
              <input
                type="checkbox"
                name={path}
                value={v}
                checked={chosen.includes(v)}
                onChange={(e) =>
                  onChange(path, e.currentTarget.checked ? [...chosen, v] : chosen.filter((c) => c !== v))
                }
              />
              {term(field.vocab, v)}
            </label>
          ))}
          <ErrorText id={`${id}-error`} text={error} />
        </fieldset>
      );
    }
    case "list":
      return <ListField {...props} field={field} />;
    case "ref":
    case "refs":
    case "marks":
      return <RefField {...props} field={field} />;
    case "survey":
      return <SurveyField {...props} field={field} />;
  }
}

function ListField(props: FieldProps & { field: Extract<Field, { kind: "list" }> }) {
  const { field, values, prefix, onChange, errors, formId } = props;
  const path = prefix + field.path;
  const rows = (getPath(values, field.path) as Values[] | undefined) ?? [];
  const error = errors[path];
  return (
    <fieldset class="field list" data-path={path}>
      <legend>{t(field.label)}</legend>
      {rows.map((row, index) => (
        <div class="row" key={index} data-row={index}>
          {field.fields.map((inner) => (
            <FieldInput
              key={inner.path}
              field={inner}
              values={row}
              prefix={`${path}.${index}.`}
              onChange={onChange}
              errors={errors}
              formId={formId}
            />
          ))}
          {rows.length > (field.min ?? 0) ? (
            <button
              type="button"
              class="secondary"
              onClick={() => onChange(path, rows.filter((_, i) => i !== index) as Value)}
            >
              {t("remove_row")}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" class="secondary" onClick={() => onChange(path, [...rows, initialValues(field.fields, newKey)])}>
        {t(field.addLabel)}
      </button>
      <ErrorText id={`${inputId(formId, path)}-error`} text={error} />
    </fieldset>
  );
}

function RefField(props: FieldProps & { field: Extract<Field, { kind: "ref" | "refs" | "marks" }> }) {
  const { field, values, prefix, onChange, errors, formId } = props;
  const { session } = useApp();
  const path = prefix + field.path;
  const id = inputId(formId, path);
  const error = errors[path];
  const param = "param" in field && field.param ? field.param(values) : undefined;
  const needsParam = "param" in field && field.param !== undefined;
  const readable = mayRead(session, field.source) && (!needsParam || Boolean(param));
  const url = readable ? sourceUrl(field.source, session.office, param) : undefined;
  const list = useRead<unknown>(url);
  const found = list.data ? options(field.source, list.data.body) : [];
  const raw = getPath(values, field.path);
  if (field.kind === "marks") {
    const marks = (typeof raw === "object" && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, boolean>;
    return (
      <fieldset class="field group" data-path={path}>
        <legend>{t(field.label)}</legend>
        {!param ? <p class="hint">{t("marks.choose_cohort")}</p> : null}
        {param && found.length === 0 && !list.loading ? <p class="hint">{t("marks.none")}</p> : null}
        {found.map((o) => (
          <label class="check" key={o.value}>
            <input
              type="checkbox"
              data-returnee={o.value}
              checked={marks[o.value] === true}
              onChange={(e) => onChange(path, { ...marks, [o.value]: e.currentTarget.checked } as unknown as Values)}
            />
            {t("marks.present", { who: o.label })}
          </label>
        ))}
        <ErrorText id={`${id}-error`} text={error} />
      </fieldset>
    );
  }
  if (!readable || (list.error && found.length === 0)) {
    // The user's roles cannot read the list (or it is not on the device): type the id.
    const text = Array.isArray(raw) ? (raw as string[]).join("\n") : typeof raw === "string" ? raw : "";
    const set = (v: string) =>
      onChange(path, field.kind === "refs" ? v.split(/[\s,;]+/).filter(Boolean) : v.trim());
    return (
      <div class={error ? "field invalid" : "field"}>
        <Label field={field} id={id} />
        {field.kind === "refs" ? (
          <textarea id={id} data-path={path} value={text} aria-describedby={`${id}-hint`} onInput={(e) => set(e.currentTarget.value)} />
        ) : (
          <input id={id} data-path={path} type="text" value={text} aria-describedby={`${id}-hint`} onInput={(e) => set(e.currentTarget.value)} />
        )}
        <span class="hint" id={`${id}-hint`}>
          {list.error ? errorMessage(list.error) : t("hint.type_id")}
        </span>
        <ErrorText id={`${id}-error`} text={error} />
      </div>
    );
  }
  if (field.kind === "refs") {
    const chosen = Array.isArray(raw) ? (raw as string[]) : [];
    return (
      <fieldset class="field group scroll" data-path={path}>
        <legend>{t(field.label)}</legend>
        {list.data?.fromCache ? <p class="hint">{t("from_device")}</p> : null}
        {found.map((o) => (
          <label class="check" key={o.value}>
            <input
              type="checkbox"
              value={o.value}
              checked={chosen.includes(o.value)}
              onChange={(e) =>
                onChange(path, e.currentTarget.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))
              }
            />
            {o.label}
          </label>
        ))}
        <ErrorText id={`${id}-error`} text={error} />
      </fieldset>
    );
  }
  const current = typeof raw === "string" ? raw : "";
  return (
    <div class={error ? "field invalid" : "field"}>
      <Label field={field} id={id} />
      <select
        id={id}
        data-path={path}
        value={current}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          const value = e.currentTarget.value;
          onChange(path, value, found.find((o) => o.value === value));
        }}
      >
        <option value="">{t("choose")}</option>
        {current && !found.some((o) => o.value === current) ? <option value={current}>{current}</option> : null}
        {found.map((o) => (
          <option value={o.value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {list.data?.fromCache ? <span class="hint">{t("from_device")}</span> : null}
      <ErrorText id={`${id}-error`} text={error} />
    </div>
  );
}

interface ScoringConfig {
  indicators: { id: string; scale: Record<string, number> }[];
}

function SurveyField(props: FieldProps & { field: Extract<Field, { kind: "survey" }> }) {
  const { field, values, prefix, onChange, errors, formId } = props;
  const { session } = useApp();
  const path = prefix + field.path;
  const config = useRead<ScoringConfig>(paths.scoringConfig(session.office, "standard"));
  const answers = (getPath(values, field.path) ?? {}) as Record<string, string>;
  useEffect(() => undefined, []);
  return (
    <fieldset class="field group" data-path={path}>
      <legend>{t(field.label)}</legend>
      {config.error ? <p class="field-error">{errorMessage(config.error)}</p> : null}
      {(config.data?.body.indicators ?? []).map((indicator) => {
        const id = inputId(formId, `${path}.${indicator.id}`);
        const error = errors[`${path}.${indicator.id}`];
        return (
          <div class={error ? "field invalid" : "field"} key={indicator.id}>
            <label for={id}>{surveyQuestion(indicator.id)}</label>
            <select
              id={id}
              data-path={`${path}.${indicator.id}`}
              value={answers[indicator.id] ?? ""}
              onChange={(e) => onChange(path, { ...answers, [indicator.id]: e.currentTarget.value } as unknown as Values)}
            >
              <option value="">{t("choose")}</option>
              {Object.keys(indicator.scale).map((answer) => (
                <option value={answer} key={answer}>
                  {surveyAnswer(answer)}
                </option>
              ))}
            </select>
            <ErrorText id={`${id}-error`} text={error} />
          </div>
        );
      })}
    </fieldset>
  );
}

export { setPath };
