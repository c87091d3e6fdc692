/**
 * What a role may do, as the services decide it (reintegration_sdk.auth.Principal.has_role):
 * an office manager stands in for every office role but personal data, HQ and admin; an admin
 * for every role but personal data, which only an explicit grant to office staff gives.
 */
import type { Session } from "./auth";

export const ROLES = [
  "caseworker",
  "personal_data_viewer",
  "training_officer",
  "committee_secretary",
  "procurement_officer",
  "monitoring_officer",
  "office_manager",
  "hq_analyst",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

const NOT_STOOD_IN_FOR: ReadonlySet<string> = new Set(["personal_data_viewer", "hq_analyst", "admin"]);

function satisfies(roles: readonly string[], role: Role): boolean {
  if (role === "personal_data_viewer") {
    return roles.includes(role) && !roles.includes("hq_analyst") && !roles.includes("admin");
  }
  if (roles.includes(role) || roles.includes("admin")) return true;
  return roles.includes("office_manager") && !NOT_STOOD_IN_FOR.has(role);
}

export function hasRole(session: Pick<Session, "roles">, ...roles: Role[]): boolean {
  return roles.some((role) => satisfies(session.roles, role));
}

export function maySeePersonalData(session: Pick<Session, "roles">): boolean {
  return hasRole(session, "personal_data_viewer");
}
