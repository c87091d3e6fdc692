/**
 * A form is data: its fields name the request body's paths ("person.birth_date",
 * "budget_lines.0.quantity"), so a 422's `body.x.0.y` points straight at the input to mark.
 * Fields whose path starts with "@" fill the URL (or choose the route) and never go in the body.
 */
import type { MessageKey, Vocabulary } from "../i18n";
import type { SourceName } from "./sources";

interface Base {
  path: string;
  label: MessageKey;
  hint?: MessageKey;
  required?: boolean;
  /** Shown only when this returns true for the form's current values. */
  when?: (values: Values) => boolean;
}

export type Field =
  | (Base & { kind: "text" | "textarea" | "date" | "uuid"; pattern?: string; default?: "today" | string })
  | (Base & { kind: "number"; min?: number; max?: number; default?: number })
  | (Base & { kind: "bool"; default?: boolean })
  | (Base & { kind: "select"; vocab: Vocabulary; default?: string })
  | (Base & { kind: "choice"; options: { value: string; label: MessageKey }[]; default?: string })
  | (Base & { kind: "multi"; vocab: Vocabulary })
  | (Base & { kind: "tags" }) // comma-separated identifiers -> ["a", "b"]
  | (Base & { kind: "lines" }) // one sentence a line -> ["...", "..."]
  | (Base & { kind: "list"; fields: Field[]; min?: number; addLabel: MessageKey })
  | (Base & { kind: "ref"; source: SourceName; param?: (values: Values) => string | undefined })
  | (Base & { kind: "refs"; source: SourceName })
  | (Base & { kind: "marks"; source: SourceName; param: (values: Values) => string | undefined })
  | (Base & { kind: "survey" })
  | (Base & { kind: "generated" }) // a fresh id made with the form: the command's own id
  | (Base & { kind: "hidden" }); // set by the app, not typed (a duplicate override)

export type Value = string | boolean | string[] | Values[] | Values | undefined;
export interface Values {
  [path: string]: Value;
}

export function getPath(values: Values, path: string): Value {
  let at: Value = values;
  for (const part of path.split(".")) {
    if (at === undefined || typeof at !== "object" || Array.isArray(at) && !/^\d+$/.test(part)) return undefined;
    at = (at as Record<string, Value>)[part];
  }
  return at;
}

export function setPath(values: Values, path: string, value: Value): Values {
  const [head, ...rest] = path.split(".");
  if (head === undefined) return values;
  if (rest.length === 0) return { ...values, [head]: value };
  const inner = values[head];
  if (Array.isArray(inner) && /^\d+$/.test(rest[0] ?? "")) {
    const index = Number(rest[0]);
    const copy = [...(inner as Values[])];
    copy[index] = rest.length === 1 ? (value as Values) : setPath(copy[index] ?? {}, rest.slice(1).join("."), value);
    return { ...values, [head]: copy };
  }
  const child = typeof inner === "object" && inner !== null && !Array.isArray(inner) ? (inner as Values) : {};
  return { ...values, [head]: setPath(child, rest.join("."), value) };
}

export function today(): string {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

function initial(field: Field, fresh: () => string): Value {
  switch (field.kind) {
    case "generated":
      return fresh();
    case "hidden":
      return undefined;
    case "bool":
      return field.default ?? false;
    case "number":
      return field.default === undefined ? "" : String(field.default);
    case "multi":
    case "refs":
      return [];
    case "list":
      return Array.from({ length: field.min ?? 0 }, () => initialValues(field.fields, fresh));
    case "marks":
    case "survey":
      return {};
    case "text":
    case "textarea":
    case "date":
    case "uuid":
      return field.default === "today" ? today() : (field.default ?? "");
    case "select":
    case "choice":
      return field.default ?? "";
    default:
      return "";
  }
}

export function initialValues(fields: Field[], fresh: () => string): Values {
  let values: Values = {};
  for (const field of fields) values = setPath(values, field.path, initial(field, fresh));
  return values;
}

/** The request body the values make: typed, empty optional values left out. */
export function toBody(fields: Field[], values: Values): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.path.startsWith("@") || (field.when && !field.when(values))) continue;
    const value = convert(field, getPath(values, field.path));
    if (value !== undefined) body = setPath(body as Values, field.path, value as Value) as Record<string, unknown>;
  }
  return prune(body) as Record<string, unknown>;
}

function convert(field: Field, raw: Value): unknown {
  switch (field.kind) {
    case "number": {
      const text = typeof raw === "string" ? raw.trim() : "";
      return text === "" ? undefined : Number(text.replace(",", "."));
    }
    case "bool":
      return raw === true;
    case "multi":
    case "refs":
      return Array.isArray(raw) ? raw : [];
    case "tags":
      return typeof raw === "string"
        ? raw.split(/[,;\n]/).map((s) => s.trim().toLowerCase().replace(/\s+/g, "_")).filter(Boolean)
        : [];
    case "lines":
      return typeof raw === "string" ? raw.split("\n").map((s) => s.trim()).filter(Boolean) : [];
    case "list":
      return Array.isArray(raw) ? (raw as Values[]).map((row) => toBody(field.fields, row)) : [];
    case "marks":
    case "survey":
    case "hidden":
      return raw;
    default: {
      const text = typeof raw === "string" ? raw.trim() : "";
      return text === "" ? undefined : text;
    }
  }
}

/** The form's values for a body the service answered with (a form opened on what is in force):
 * the inverse of `toBody`, fields the body leaves out keep their initial values. */
export function valuesFrom(fields: Field[], body: unknown, fresh: () => string): Values {
  let values = initialValues(fields, fresh);
  for (const field of fields) {
    if (field.path.startsWith("@")) continue;
    const raw = getPath(body as Values, field.path);
    if (raw === undefined || raw === null) continue;
    values = setPath(values, field.path, fromBody(field, raw, fresh));
  }
  return values;
}

function fromBody(field: Field, raw: unknown, fresh: () => string): Value {
  switch (field.kind) {
    case "number":
      return typeof raw === "number" ? String(raw) : "";
    case "bool":
      return raw === true;
    case "multi":
    case "refs":
      return Array.isArray(raw) ? raw.map(String) : [];
    case "tags":
      return Array.isArray(raw) ? raw.map(String).join(", ") : "";
    case "lines":
      return Array.isArray(raw) ? raw.map(String).join("\n") : "";
    case "list":
      return Array.isArray(raw) ? raw.map((row) => valuesFrom(field.fields, row, fresh)) : [];
    default:
      return typeof raw === "string" ? raw : String(raw);
  }
}

/** Objects left with nothing in them are not sent (an identity document never filled in). */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const pruned = prune(inner);
    const emptyObject =
      typeof pruned === "object" && pruned !== null && !Array.isArray(pruned) && Object.keys(pruned).length === 0;
    if (pruned !== undefined && !emptyObject) out[key] = pruned;
  }
  return out;
}

/** Problems the device can see before sending: required values missing. */
export function missingRequired(fields: Field[], values: Values, prefix = ""): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    if (field.when && !field.when(values)) continue;
    const path = prefix + field.path;
    const raw = getPath(values, field.path);
    if (field.kind === "list" && Array.isArray(raw)) {
      (raw as Values[]).forEach((row, i) => problems.push(...missingRequired(field.fields, row, `${path}.${i}.`)));
      if ((field.min ?? 0) > raw.length) problems.push(path);
      continue;
    }
    if (!field.required) continue;
    const empty = raw === undefined || raw === "" || (Array.isArray(raw) && raw.length === 0);
    if (empty) problems.push(path);
  }
  return problems;
}

/** Where a service's field path points among the form's: "body.x.0.y" -> "x.0.y". */
export function formPath(serviceField: string): string {
  if (serviceField.startsWith("body.")) return serviceField.slice(5);
  if (serviceField.startsWith("path.")) return `@${serviceField.slice(5)}`;
  return serviceField;
}
