/**
 * Every URL the app calls, in one table. The host forwards `/api/<service>/...` to the service.
 *
 * Every service answers an office's routes under `/offices/{country_office}/...` and
 * headquarters' under `/hq/...`.
 */

export type Service = "intake" | "training" | "committee" | "procurement" | "monitoring" | "programme";

const OFFICE_ROOT: Record<Service, (office: string) => string> = {
  intake: (cc) => `/offices/${cc}`,
  training: (cc) => `/offices/${cc}`,
  committee: (cc) => `/offices/${cc}`,
  procurement: (cc) => `/offices/${cc}`,
  monitoring: (cc) => `/offices/${cc}`,
  programme: (cc) => `/offices/${cc}`,
};

const seg = (value: string): string => encodeURIComponent(value);

/** The URL of `sub` (starting with "/") for a country office's routes of `service`. */
export function officeUrl(service: Service, office: string, sub: string): string {
  return `/api/${service}${OFFICE_ROOT[service](seg(office))}${sub}`;
}

export const paths = {
  // intake
  returnees: (cc: string) => officeUrl("intake", cc, "/returnees"),
  returnee: (cc: string, id: string) => officeUrl("intake", cc, `/returnees/${seg(id)}`),
  personalData: (cc: string, id: string) =>
    officeUrl("intake", cc, `/returnees/${seg(id)}/personal-data`),
  myCases: (cc: string) => officeUrl("intake", cc, "/returnees?assigned_to=me&limit=1000"),
  assignments: (cc: string, id: string) =>
    officeUrl("intake", cc, `/returnees/${seg(id)}/assignments`),
  consents: (cc: string, id: string) => officeUrl("intake", cc, `/returnees/${seg(id)}/consents`),
  consentWithdrawals: (cc: string, id: string) =>
    officeUrl("intake", cc, `/returnees/${seg(id)}/consents/withdrawals`),
  interviews: (cc: string, id: string) =>
    officeUrl("intake", cc, `/returnees/${seg(id)}/interviews`),
  counsellingSessions: (cc: string) => officeUrl("intake", cc, "/counselling-sessions"),
  // training
  centres: (cc: string) => officeUrl("training", cc, "/centres"),
  cohorts: (cc: string) => officeUrl("training", cc, "/cohorts"),
  cohort: (cc: string, id: string) => officeUrl("training", cc, `/cohorts/${seg(id)}`),
  enrolments: (cc: string, id: string) =>
    officeUrl("training", cc, `/cohorts/${seg(id)}/enrolments`),
  attendance: (cc: string, id: string) =>
    officeUrl("training", cc, `/cohorts/${seg(id)}/attendance`),
  completions: (cc: string, id: string) =>
    officeUrl("training", cc, `/cohorts/${seg(id)}/completions`),
  assessments: (cc: string) => officeUrl("training", cc, "/assessments"),
  trainingRecord: (cc: string, id: string) =>
    officeUrl("training", cc, `/returnees/${seg(id)}`),
  // committee
  plans: (cc: string) => officeUrl("committee", cc, "/plans"),
  plan: (cc: string, id: string) => officeUrl("committee", cc, `/plans/${seg(id)}`),
  decision: (cc: string, id: string, kind: "approval" | "rejection" | "amendment") =>
    officeUrl("committee", cc, `/plans/${seg(id)}/${kind}`),
  committeeSessions: (cc: string) => officeUrl("committee", cc, "/sessions"),
  // procurement
  budgetReviews: (cc: string) => officeUrl("procurement", cc, "/budget-reviews"),
  budgetReview: (cc: string, planId: string) =>
    officeUrl("procurement", cc, `/budget-reviews/${seg(planId)}`),
  budgetRevisions: (cc: string, planId: string) =>
    officeUrl("procurement", cc, `/budget-reviews/${seg(planId)}/revisions`),
  kitOrders: (cc: string) => officeUrl("procurement", cc, "/kit-orders"),
  procurementCertifications: (cc: string) => officeUrl("procurement", cc, "/certifications"),
  certifiedKitOrder: (cc: string, returnee: string, trade: string) =>
    officeUrl("procurement", cc, `/certifications/${seg(returnee)}/${seg(trade)}/kit-order`),
  certifiedKitDelivery: (cc: string, returnee: string, trade: string) =>
    officeUrl("procurement", cc, `/certifications/${seg(returnee)}/${seg(trade)}/kit-delivery`),
  planKitDelivery: (cc: string, planId: string) =>
    officeUrl("procurement", cc, `/plans/${seg(planId)}/kit-delivery`),
  // monitoring
  followUps: (cc: string, id: string) =>
    officeUrl("monitoring", cc, `/returnees/${seg(id)}/follow-ups`),
  surveys: (cc: string, id: string) =>
    officeUrl("monitoring", cc, `/returnees/${seg(id)}/sustainability-surveys`),
  scoringConfig: (cc: string, programme: string) =>
    officeUrl("monitoring", cc, `/scoring-configs/${seg(programme)}`),
  overdue: (cc: string) => officeUrl("monitoring", cc, "/follow-ups/overdue"),
  timeline: (cc: string, id: string) =>
    officeUrl("monitoring", cc, `/returnees/${seg(id)}/timeline`),
  // programme
  programmeConfiguration: (cc: string) => officeUrl("programme", cc, "/configuration"),
} as const;

/** Which service a forwarded URL goes to (the first segment after /api/). */
export function serviceOf(url: string): Service | undefined {
  const name = /^\/api\/([a-z]+)\//.exec(url)?.[1];
  return name && name in OFFICE_ROOT ? (name as Service) : undefined;
}
