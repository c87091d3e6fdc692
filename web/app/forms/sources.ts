/**
 * The lists a form picks from (returnees, cohorts, plans...), read through the device cache so
 * that a form filled in offline offers what was known when last online. A user whose roles do
 * not let them read a list types the id instead.
 */
import type { Session } from "../auth";
import { formatDate, term } from "../i18n";
import { paths } from "../paths";
import { hasRole, type Role } from "../roles";

export interface Option {
  value: string;
  label: string;
  row: Record<string, unknown>;
}

interface Source {
  readers: Role[];
  url: (office: string, param?: string) => string;
  rows?: (body: unknown) => Record<string, unknown>[];
  option: (row: Record<string, unknown>) => Option;
}

const short = (id: unknown): string => String(id).slice(0, 8);
const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const list = (body: unknown): Record<string, unknown>[] =>
  Array.isArray(body) ? (body as Record<string, unknown>[]) : [];

const CASE_READERS: Role[] = ["caseworker", "monitoring_officer"];
const TRAINING_READERS: Role[] = [
  "training_officer",
  "caseworker",
  "monitoring_officer",
  "committee_secretary",
  "procurement_officer",
];
const COMMITTEE_READERS: Role[] = TRAINING_READERS;
const PROCUREMENT_READERS: Role[] = [
  "procurement_officer",
  "committee_secretary",
  "monitoring_officer",
  "training_officer",
];

function returneeOption(row: Record<string, unknown>): Option {
  const community = row.community as { commune?: string } | undefined;
  const label = [
    short(row.returnee_id),
    community?.commune ?? "",
    `${term("Sex", str(row.sex))} ${str(row.age_band)}`,
    term("Stage", str(row.stage)),
  ].join(" · ");
  return { value: str(row.returnee_id), label, row };
}

export const SOURCES = {
  returnees: {
    readers: CASE_READERS,
    url: (cc) => `${paths.returnees(cc)}?limit=1000`,
    option: returneeOption,
  },
  cohorts: {
    readers: TRAINING_READERS,
    url: (cc) => paths.cohorts(cc),
    option: (row) => ({
      value: str(row.cohort_id),
      label: `${term("CourseKind", str(row.kind))}${row.trade ? ` (${str(row.trade)})` : ""} · ${str(row.commune)} · ${formatDate(str(row.start_date))} – ${formatDate(str(row.end_date))}`,
      row,
    }),
  },
  trainees: {
    readers: TRAINING_READERS,
    url: (cc, cohort) => paths.cohort(cc, cohort ?? ""),
    rows: (body) => list((body as { trainees?: unknown } | null)?.trainees),
    option: (row) => ({ value: str(row.returnee_id), label: short(row.returnee_id), row }),
  },
  centres: {
    readers: TRAINING_READERS,
    url: (cc) => paths.centres(cc),
    option: (row) => ({ value: str(row.centre_id), label: `${str(row.name)} · ${str(row.city)}`, row }),
  },
  plansAwaitingDecision: {
    readers: COMMITTEE_READERS,
    url: (cc) => `${paths.plans(cc)}?status=reviewed`,
    option: planOption,
  },
  plans: {
    readers: COMMITTEE_READERS,
    url: (cc) => paths.plans(cc),
    option: planOption,
  },
  committeeSessions: {
    readers: COMMITTEE_READERS,
    url: (cc) => paths.committeeSessions(cc),
    option: (row) => ({
      value: str(row.session_id),
      label: `${str(row.commune)} · ${formatDate(str(row.held_on))} · ${short(row.session_id)}`,
      row,
    }),
  },
  reviews: {
    readers: PROCUREMENT_READERS,
    url: (cc) => paths.budgetReviews(cc),
    option: (row) => ({
      value: str(row.plan_id),
      label: `${short(row.plan_id)} · ${formatDate(str(row.reviewed_on))} · ${str(row.reviewed_total)} ${str(row.currency)}`,
      row,
    }),
  },
  ordersAwaited: {
    readers: PROCUREMENT_READERS,
    url: (cc) => `${paths.kitOrders(cc)}?delivered=false`,
    option: (row) => ({
      value: str(row.order_id),
      label: `${str(row.trade)} · ${str(row.total)} ${str(row.currency)} · ${short(row.plan_id ?? (row.beneficiary_ids as string[] | undefined)?.[0])}`,
      row,
    }),
  },
  certificationsWithoutKit: {
    readers: PROCUREMENT_READERS,
    url: (cc) => paths.procurementCertifications(cc),
    rows: (body) => list(body).filter((row) => !row.order_id),
    option: (row) => ({
      value: `${str(row.returnee_id)}/${str(row.trade)}`,
      label: `${short(row.returnee_id)} · ${str(row.trade)} · ${formatDate(str(row.certified_on))}`,
      row,
    }),
  },
} satisfies Record<string, Source>;

function planOption(row: Record<string, unknown>): Option {
  return {
    value: str(row.plan_id),
    label: `${str(row.activity)} · ${str(row.commune)} · ${term("PlanStatus", str(row.status))} · ${short(row.plan_id)}`,
    row,
  };
}

export type SourceName = keyof typeof SOURCES;

export function mayRead(session: Session, source: SourceName): boolean {
  return hasRole(session, ...SOURCES[source].readers);
}

export function sourceUrl(source: SourceName, office: string, param?: string): string {
  return SOURCES[source].url(office, param);
}

export function options(source: SourceName, body: unknown): Option[] {
  const def: Source = SOURCES[source];
  return (def.rows ? def.rows(body) : list(body)).map(def.option);
}
