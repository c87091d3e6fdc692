/**
 * One form per daily act, each calling one command of one service with the user's token. The
 * roles are those the service's route demands (see each service's api module).
 *
 * Not here yet because the services have no such command: grant tranches (Niger's individual
 * grants) and community project progress; their forms come with those commands (web/README.md).
 */
import type { MessageKey } from "../i18n";
import { paths, type Service } from "../paths";
import type { Role } from "../roles";
import { getPath, toBody, type Field, type Values } from "./fields";
import type { Option } from "./sources";

export interface Request {
  method: string;
  url: string;
  body?: unknown;
}

export interface Act {
  id: string;
  service: Service;
  roles: Role[];
  title: MessageKey;
  intro?: MessageKey;
  fields: Field[];
  request: (values: Values, office: string) => Request;
  /** When a picker chooses an option, what else the form can fill in from it. */
  prefill?: (path: string, option: Option, values: Values) => Values;
  /** A form that edits what is in force (the office's programme) opens on this URL's answer. */
  current?: (office: string) => string;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const param = (values: Values, name: string): string => str(getPath(values, `@${name}`));

const locality = (path: string): Field[] => [
  { kind: "text", path: `${path}.region`, label: "f.region", required: true },
  { kind: "text", path: `${path}.commune`, label: "f.commune", required: true },
];

const budgetLines = (path: string, required: boolean): Field => ({
  kind: "list",
  path,
  label: "f.budget_lines",
  addLabel: "add.budget_line",
  min: required ? 1 : 0,
  fields: [
    { kind: "text", path: "item", label: "f.item", required: true },
    { kind: "number", path: "quantity", label: "f.quantity", required: true, min: 1 },
    { kind: "number", path: "unit_cost", label: "f.unit_cost", required: true, min: 0 },
    { kind: "text", path: "specification", label: "f.specification" },
  ],
});

function post(fields: Field[], url: (values: Values, office: string) => string) {
  return (values: Values, office: string): Request => ({
    method: "POST",
    url: url(values, office),
    body: toBody(fields, values),
  });
}

function act(def: Omit<Act, "request"> & { url: (values: Values, office: string) => string }): Act {
  const { url, ...rest } = def;
  return { ...rest, request: post(def.fields, url) };
}

const registration = act({
  id: "register",
  service: "intake",
  roles: ["caseworker"],
  title: "act.register",
  intro: "intro.register",
  fields: [
    { kind: "date", path: "arrival_date", label: "f.arrival_date", required: true },
    { kind: "select", path: "return_type", label: "f.return_type", vocab: "ReturnType", required: true },
    ...locality("community"),
    { kind: "select", path: "sex", label: "f.sex", vocab: "Sex", required: true },
    { kind: "text", path: "person.given_names", label: "f.given_names", required: true },
    { kind: "text", path: "person.family_name", label: "f.family_name", required: true },
    { kind: "date", path: "person.birth_date", label: "f.birth_date", required: true },
    { kind: "text", path: "person.phone", label: "f.phone" },
    { kind: "text", path: "person.address", label: "f.address" },
    { kind: "select", path: "person.identity_document.kind", label: "f.document_kind", vocab: "DocumentKind" },
    { kind: "text", path: "person.identity_document.number", label: "f.document_number" },
    { kind: "number", path: "household_size", label: "f.household_size", required: true, min: 1, default: 1 },
    { kind: "multi", path: "vulnerabilities", label: "f.vulnerabilities", vocab: "Vulnerability" },
    {
      kind: "list",
      path: "declared_trades",
      label: "f.declared_trades",
      addLabel: "add.trade",
      fields: [
        { kind: "text", path: "trade", label: "f.trade", required: true, hint: "hint.slug" },
        { kind: "number", path: "years_of_experience", label: "f.years_of_experience", required: true, min: 0 },
      ],
    },
    { kind: "text", path: "sub_office", label: "f.sub_office", hint: "hint.slug" },
    { kind: "hidden", path: "duplicate_override", label: "f.override_reason" },
  ],
  url: (_, cc) => paths.returnees(cc),
});

const consent: Act = {
  id: "consent",
  service: "intake",
  roles: ["caseworker"],
  title: "act.consent",
  fields: [
    { kind: "ref", path: "@returnee_id", label: "f.returnee", source: "returnees", required: true },
    {
      kind: "choice",
      path: "@action",
      label: "f.consent_action",
      options: [
        { value: "record", label: "consent.record" },
        { value: "withdraw", label: "consent.withdraw" },
      ],
      default: "record",
      required: true,
    },
    { kind: "select", path: "purpose", label: "f.purpose", vocab: "ConsentPurpose", required: true },
    { kind: "select", path: "partner_category", label: "f.partner_category", vocab: "PartnerCategory", required: true },
    { kind: "date", path: "on", label: "f.decided_on", default: "today" },
  ],
  request(values, cc) {
    const id = param(values, "returnee_id");
    const url = param(values, "action") === "withdraw" ? paths.consentWithdrawals(cc, id) : paths.consents(cc, id);
    return { method: "POST", url, body: toBody(this.fields, values) };
  },
};

// An office manager gives a case to a caseworker or hands it to another (intake's route takes
// any caseworker; only an office manager may name someone other than themselves).
const assignCase = act({
  id: "assign-case",
  service: "intake",
  roles: ["office_manager"],
  title: "act.assign_case",
  intro: "intro.assign_case",
  fields: [
    { kind: "ref", path: "@returnee_id", label: "f.returnee", source: "returnees", required: true },
    { kind: "text", path: "caseworker", label: "f.caseworker", required: true },
  ],
  url: (values, cc) => paths.assignments(cc, param(values, "returnee_id")),
});

const counsellingSession = act({
  id: "counselling-session",
  service: "intake",
  roles: ["caseworker"],
  title: "act.counselling_session",
  fields: [
    { kind: "date", path: "held_on", label: "f.held_on", required: true, default: "today" },
    ...locality("community"),
    {
      kind: "list",
      path: "experts_present",
      label: "f.experts_present",
      addLabel: "add.expert",
      min: 1,
      fields: [
        { kind: "text", path: "sector", label: "f.expert_sector", required: true, hint: "hint.slug" },
        { kind: "number", path: "count", label: "f.count", required: true, min: 1, default: 1 },
      ],
    },
    { kind: "number", path: "local_authorities_present", label: "f.local_authorities_present", required: true, min: 0, default: 0 },
    { kind: "number", path: "civil_society_present", label: "f.civil_society_present", required: true, min: 0, default: 0 },
    { kind: "refs", path: "participant_ids", label: "f.participants", source: "returnees", required: true },
  ],
  url: (_, cc) => paths.counsellingSessions(cc),
});

const interview = act({
  id: "interview",
  service: "intake",
  roles: ["caseworker"],
  title: "act.interview",
  fields: [
    { kind: "ref", path: "@returnee_id", label: "f.returnee", source: "returnees", required: true },
    { kind: "date", path: "interviewed_on", label: "f.interviewed_on", required: true, default: "today" },
    { kind: "tags", path: "skills", label: "f.skills", hint: "hint.tags" },
    { kind: "number", path: "years_of_experience", label: "f.years_of_experience", required: true, min: 0, default: 0 },
    { kind: "tags", path: "aspirations", label: "f.aspirations", hint: "hint.tags" },
    { kind: "select", path: "intended_track", label: "f.intended_track", vocab: "Track", required: true },
    { kind: "textarea", path: "note", label: "f.note", hint: "hint.note_vault" },
  ],
  url: (values, cc) => paths.interviews(cc, param(values, "returnee_id")),
});

const scheduleCohort = act({
  id: "schedule-cohort",
  service: "training",
  roles: ["training_officer"],
  title: "act.schedule_cohort",
  fields: [
    { kind: "select", path: "kind", label: "f.course_kind", vocab: "CourseKind", required: true },
    ...locality("locality"),
    { kind: "date", path: "start_date", label: "f.start_date", required: true },
    { kind: "number", path: "capacity", label: "f.capacity", required: true, min: 1 },
    { kind: "number", path: "duration_days", label: "f.duration_days", min: 1, hint: "hint.duration" },
    { kind: "text", path: "trade", label: "f.trade", when: (v) => v.kind === "vocational" },
    { kind: "ref", path: "centre_id", label: "f.centre", source: "centres", when: (v) => v.kind === "vocational" },
    { kind: "tags", path: "modules", label: "f.modules", hint: "hint.tags" },
  ],
  url: (_, cc) => paths.cohorts(cc),
});

const enrolment = act({
  id: "enrolment",
  service: "training",
  roles: ["training_officer"],
  title: "act.enrolment",
  fields: [
    { kind: "ref", path: "@cohort_id", label: "f.cohort", source: "cohorts", required: true },
    { kind: "ref", path: "returnee_id", label: "f.returnee", source: "returnees", required: true },
    { kind: "date", path: "enrolled_on", label: "f.enrolled_on", default: "today" },
  ],
  url: (values, cc) => paths.enrolments(cc, param(values, "cohort_id")),
});

const attendance: Act = {
  id: "attendance",
  service: "training",
  roles: ["training_officer"],
  title: "act.attendance",
  fields: [
    { kind: "ref", path: "@cohort_id", label: "f.cohort", source: "cohorts", required: true },
    { kind: "date", path: "day", label: "f.day", required: true, default: "today" },
    {
      kind: "marks",
      path: "marks",
      label: "f.marks",
      source: "trainees",
      param: (v) => param(v, "cohort_id") || undefined,
      required: true,
    },
  ],
  request(values, cc) {
    const body = toBody(this.fields, values) as { day?: string; marks?: Record<string, boolean> };
    const marks = Object.entries(body.marks ?? {}).map(([returnee_id, present]) => ({ returnee_id, present }));
    return { method: "POST", url: paths.attendance(cc, param(values, "cohort_id")), body: { ...body, marks } };
  },
};

const completion = act({
  id: "completion",
  service: "training",
  roles: ["training_officer"],
  title: "act.completion",
  fields: [
    { kind: "ref", path: "@cohort_id", label: "f.cohort", source: "cohorts", required: true },
    {
      kind: "ref",
      path: "returnee_id",
      label: "f.trainee",
      source: "trainees",
      param: (v) => param(v, "cohort_id") || undefined,
      required: true,
    },
    { kind: "date", path: "completed_on", label: "f.completed_on", required: true, default: "today" },
    { kind: "number", path: "exam_score", label: "f.exam_score", min: 0, max: 100, hint: "hint.exam" },
    { kind: "select", path: "level", label: "f.level", vocab: "SkillLevel" },
  ],
  url: (values, cc) => paths.completions(cc, param(values, "cohort_id")),
});

const assessment = act({
  id: "assessment",
  service: "training",
  roles: ["training_officer"],
  title: "act.assessment",
  fields: [
    { kind: "ref", path: "returnee_id", label: "f.returnee", source: "returnees", required: true },
    { kind: "text", path: "trade", label: "f.trade", required: true, hint: "hint.slug" },
    { kind: "ref", path: "centre_id", label: "f.centre", source: "centres", required: true },
    { kind: "date", path: "assessed_on", label: "f.assessed_on", required: true, default: "today" },
    { kind: "bool", path: "certified", label: "f.certified" },
    { kind: "select", path: "level", label: "f.level", vocab: "SkillLevel", when: (v) => v.certified === true },
  ],
  url: (_, cc) => paths.assessments(cc),
});

const businessPlan = act({
  id: "business-plan",
  service: "committee",
  roles: ["caseworker", "committee_secretary"],
  title: "act.business_plan",
  intro: "intro.business_plan",
  fields: [
    { kind: "select", path: "kind", label: "f.plan_kind", vocab: "PlanKind", required: true, default: "individual" },
    { kind: "refs", path: "beneficiary_ids", label: "f.beneficiaries", source: "returnees", required: true },
    { kind: "text", path: "sector", label: "f.sector", required: true, hint: "hint.slug" },
    { kind: "text", path: "trade", label: "f.trade", required: true, hint: "hint.slug" },
    { kind: "text", path: "activity", label: "f.activity", required: true },
    ...locality("locality"),
    budgetLines("budget_lines", true),
    {
      kind: "list",
      path: "in_kind_contribution",
      label: "f.in_kind_contribution",
      addLabel: "add.contribution",
      min: 1, // the committee takes no plan without the beneficiaries' own contribution
      fields: [
        // The kind travels on the wire; the words stay in committee's database.
        { kind: "select", path: "kind", label: "f.in_kind_kind", vocab: "InKindKind", required: true, default: "other" },
        { kind: "text", path: "description", label: "f.description" },
        { kind: "number", path: "value", label: "f.value", required: true, min: 0 },
      ],
    },
    { kind: "text", path: "kit_requested", label: "f.kit_requested", hint: "hint.slug" },
    { kind: "text", path: "currency", label: "f.currency", required: true, default: "XOF" },
    { kind: "date", path: "submitted_on", label: "f.submitted_on", default: "today" },
  ],
  url: (_, cc) => paths.plans(cc),
});

const budgetReview = act({
  id: "budget-review",
  service: "procurement",
  roles: ["procurement_officer"],
  title: "act.budget_review",
  intro: "intro.budget_review",
  fields: [
    { kind: "ref", path: "@plan_id", label: "f.plan", source: "reviews", required: true },
    {
      kind: "list",
      path: "adjustments",
      label: "f.adjustments",
      addLabel: "add.adjustment",
      fields: [
        { kind: "number", path: "line", label: "f.line", required: true, min: 1 },
        { kind: "text", path: "reason", label: "f.reason", required: true },
        { kind: "number", path: "reviewed_unit_cost", label: "f.reviewed_unit_cost", min: 0 },
        { kind: "text", path: "specification", label: "f.specification" },
      ],
    },
    { kind: "textarea", path: "note", label: "f.review_note" },
    { kind: "date", path: "reviewed_on", label: "f.reviewed_on", default: "today" },
  ],
  url: (values, cc) => paths.budgetRevisions(cc, param(values, "plan_id")),
});

const committeeSession = act({
  id: "committee-session",
  service: "committee",
  roles: ["committee_secretary"],
  title: "act.committee_session",
  intro: "intro.committee_session",
  fields: [
    ...locality("locality"),
    { kind: "date", path: "held_on", label: "f.held_on", required: true, default: "today" },
    {
      kind: "list",
      path: "members",
      label: "f.members",
      addLabel: "add.member",
      min: 3,
      fields: [
        { kind: "select", path: "role", label: "f.member_role", vocab: "MemberRole", required: true },
        { kind: "text", path: "organisation", label: "f.organisation", required: true },
      ],
    },
  ],
  url: (_, cc) => paths.committeeSessions(cc),
});

const DECISIONS = ["approval", "rejection", "amendment"] as const;
const decision: Act = {
  id: "decision",
  service: "committee",
  roles: ["committee_secretary"],
  title: "act.decision",
  fields: [
    { kind: "ref", path: "@plan_id", label: "f.plan", source: "plansAwaitingDecision", required: true },
    {
      kind: "choice",
      path: "@decision",
      label: "f.decision",
      options: [
        { value: "approval", label: "decision.approval" },
        { value: "rejection", label: "decision.rejection" },
        { value: "amendment", label: "decision.amendment" },
      ],
      default: "approval",
      required: true,
    },
    { kind: "ref", path: "session_id", label: "f.committee_session", source: "committeeSessions", required: true },
    // Reasons and conditions travel as categories; the committee's words (note) stay local.
    { kind: "multi", path: "reasons", label: "f.reasons", vocab: "RejectionReason", when: (v) => v["@decision"] === "rejection", required: true },
    { ...budgetLines("budget_lines", false), when: (v) => v["@decision"] === "amendment" },
    { kind: "multi", path: "conditions", label: "f.conditions", vocab: "ConditionKind", when: (v) => v["@decision"] === "amendment" },
    { kind: "textarea", path: "note", label: "f.committee_note", hint: "hint.words_stay_local", when: (v) => v["@decision"] !== "approval" },
  ],
  request(values, cc) {
    const kind = DECISIONS.find((d) => d === param(values, "decision")) ?? "approval";
    const body = toBody(this.fields, values) as Record<string, unknown>;
    // Omit an empty amended budget: the committee keeps the reviewed one.
    if (Array.isArray(body.budget_lines) && body.budget_lines.length === 0) delete body.budget_lines;
    return { method: "POST", url: paths.decision(cc, param(values, "plan_id"), kind), body };
  },
};

const kitOrder: Act = {
  id: "kit-order",
  service: "procurement",
  roles: ["procurement_officer"],
  title: "act.kit_order",
  fields: [
    { kind: "ref", path: "@certification", label: "f.certification", source: "certificationsWithoutKit", required: true },
    { kind: "date", path: "ordered_on", label: "f.ordered_on", default: "today" },
  ],
  request(values, cc) {
    const [returnee = "", trade = ""] = param(values, "certification").split("/");
    return { method: "POST", url: paths.certifiedKitOrder(cc, returnee, trade), body: toBody(this.fields, values) };
  },
};

const kitHandover: Act = {
  id: "kit-handover",
  service: "procurement",
  roles: ["procurement_officer"],
  title: "act.kit_handover",
  fields: [
    { kind: "ref", path: "@order_id", label: "f.kit_order", source: "ordersAwaited", required: true },
    { kind: "date", path: "delivered_on", label: "f.delivered_on", required: true, default: "today" },
    {
      kind: "list",
      path: "items",
      label: "f.delivered_items",
      addLabel: "add.item",
      min: 1,
      fields: [
        { kind: "text", path: "item", label: "f.item", required: true },
        { kind: "number", path: "quantity", label: "f.quantity", required: true, min: 1 },
        { kind: "number", path: "value", label: "f.value", required: true, min: 0 },
      ],
    },
    { kind: "bool", path: "acknowledged_by_beneficiary", label: "f.acknowledged" },
  ],
  prefill(path, option, values) {
    if (path !== "@order_id") return values;
    const lines = (option.row.lines as { item: string; quantity: number; unit_price: number }[] | undefined) ?? [];
    const items = lines.map((l) => ({ item: l.item, quantity: String(l.quantity), value: String(l.quantity * l.unit_price) }));
    return { ...values, items: items.length ? items : (values.items ?? []), "@order": option.row as Values };
  },
  request(values, cc) {
    const order = (values["@order"] ?? {}) as Record<string, unknown>;
    const body = toBody(this.fields, values);
    const url =
      order.basis === "certified_trade"
        ? paths.certifiedKitDelivery(cc, str((order.beneficiary_ids as string[] | undefined)?.[0]), str(order.trade))
        : paths.planKitDelivery(cc, str(order.plan_id));
    return { method: "POST", url, body };
  },
};

const followUp = act({
  id: "follow-up",
  service: "monitoring",
  roles: ["caseworker", "monitoring_officer"],
  title: "act.follow_up",
  fields: [
    { kind: "ref", path: "@returnee_id", label: "f.returnee", source: "returnees", required: true },
    { kind: "generated", path: "visit_id", label: "f.visit_id" },
    { kind: "date", path: "visited_on", label: "f.visited_on", required: true, default: "today" },
    { kind: "bool", path: "activity_running", label: "f.activity_running", default: true },
    { kind: "select", path: "monthly_revenue_band", label: "f.revenue_band", vocab: "IncomeBand", required: true },
    { kind: "select", path: "monthly_profit_band", label: "f.profit_band", vocab: "IncomeBand", required: true },
    { kind: "number", path: "jobs_created", label: "f.jobs_created", required: true, min: 0, default: 0 },
    { kind: "bool", path: "support_needed", label: "f.support_needed" },
    { kind: "tags", path: "support_kinds", label: "f.support_kinds", hint: "hint.tags", when: (v) => v.support_needed === true },
    { kind: "number", path: "satisfaction", label: "f.satisfaction", required: true, min: 1, max: 5, default: 4 },
  ],
  url: (values, cc) => paths.followUps(cc, param(values, "returnee_id")),
});

const survey = act({
  id: "survey",
  service: "monitoring",
  roles: ["caseworker", "monitoring_officer"],
  title: "act.survey",
  fields: [
    { kind: "ref", path: "@returnee_id", label: "f.returnee", source: "returnees", required: true },
    { kind: "generated", path: "survey_id", label: "f.survey_id" },
    { kind: "date", path: "scored_on", label: "f.scored_on", required: true, default: "today" },
    { kind: "survey", path: "answers", label: "f.answers", required: true },
  ],
  url: (values, cc) => paths.surveys(cc, param(values, "returnee_id")),
});

const programmeFields: Field[] = [
  { kind: "multi", path: "counselling_steps", label: "f.counselling_steps", vocab: "CounsellingStep", required: true },
  { kind: "bool", path: "entrepreneurship_before_plan", label: "f.entrepreneurship_before_plan", default: true },
  { kind: "number", path: "certification.pass_mark", label: "f.pass_mark", required: true, min: 0, max: 100 },
  {
    kind: "number",
    path: "certification.attendance_threshold_percent",
    label: "f.attendance_threshold",
    required: true,
    min: 0,
    max: 100,
  },
  { kind: "tags", path: "courses_leading_to_kit", label: "f.courses_leading_to_kit", hint: "hint.tags" },
  { kind: "bool", path: "assessment_leads_to_kit", label: "f.assessment_leads_to_kit" },
  { kind: "number", path: "allowance.daily_amount", label: "f.daily_allowance", required: true, min: 1 },
  { kind: "text", path: "allowance.currency", label: "f.currency", required: true, pattern: "[A-Z]{3}" },
  { kind: "number", path: "allowance.legal_minimum_monthly_wage", label: "f.minimum_wage", required: true, min: 1 },
  { kind: "number", path: "allowance.working_days_per_month", label: "f.working_days", required: true, min: 1, max: 31 },
  { kind: "bool", path: "daycare.offered", label: "f.daycare_offered" },
  { kind: "multi", path: "daycare.sexes", label: "f.daycare_sexes", vocab: "Sex", when: (v) => getPath(v, "daycare.offered") === true },
  { kind: "multi", path: "support_offered", label: "f.support_offered", vocab: "SupportKind", required: true },
  {
    kind: "list",
    path: "eligibility",
    label: "f.eligibility",
    addLabel: "add.eligibility_rule",
    fields: [
      { kind: "select", path: "support", label: "f.support", vocab: "SupportKind", required: true },
      { kind: "multi", path: "vulnerabilities", label: "f.vulnerabilities", vocab: "Vulnerability", required: true },
    ],
  },
];

/** The office manager's page for the office's programme: the whole configuration, opened on
 * the one in force, saved as its next version (PUT; the same configuration records nothing). */
const programmeConfiguration: Act = {
  id: "programme",
  service: "programme",
  roles: ["office_manager"],
  title: "act.programme",
  intro: "intro.programme",
  fields: programmeFields,
  current: (cc) => paths.programmeConfiguration(cc),
  request: (values, cc) => ({
    method: "PUT",
    url: paths.programmeConfiguration(cc),
    body: toBody(programmeFields, values),
  }),
};

export const ACTS: Act[] = [
  registration,
  consent,
  counsellingSession,
  interview,
  assignCase,
  scheduleCohort,
  enrolment,
  attendance,
  completion,
  assessment,
  businessPlan,
  budgetReview,
  committeeSession,
  decision,
  kitOrder,
  kitHandover,
  followUp,
  survey,
  programmeConfiguration,
];

export function actById(id: string): Act | undefined {
  return ACTS.find((a) => a.id === id);
}

/** Acts the services do not offer yet; the app lists them so nobody looks for them in vain. */
export const NOT_YET: MessageKey[] = ["notyet.grant_tranche", "notyet.community_project"];
