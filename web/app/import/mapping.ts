/**
 * From a spreadsheet row to a registration: which column holds what (guessed from the
 * headers offices use, in French or English, and changeable by the user), and the values
 * offices write ("F", "Homme", "12/03/2018") turned into the API's.
 */
import type { Vocabulary } from "../i18n";

export const TARGETS = [
  "given_names",
  "family_name",
  "birth_date",
  "sex",
  "phone",
  "arrival_date",
  "return_type",
  "region",
  "commune",
  "household_size",
  "vulnerabilities",
  "declared_trade",
  "document_kind",
  "document_number",
  "address",
] as const;
export type Target = (typeof TARGETS)[number];
export const REQUIRED: ReadonlySet<Target> = new Set([
  "given_names",
  "family_name",
  "birth_date",
  "sex",
  "arrival_date",
  "return_type",
  "region",
  "commune",
  "household_size",
]);

const norm = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

const SYNONYMS: Record<Target, string[]> = {
  given_names: ["prenom", "prenoms", "prenom s", "given names", "first name", "first names", "given name"],
  family_name: ["nom", "nom de famille", "family name", "surname", "last name"],
  birth_date: ["date de naissance", "ne le", "naissance", "birth date", "date of birth", "dob"],
  sex: ["sexe", "genre", "sex", "gender"],
  phone: ["telephone", "tel", "contact", "phone", "phone number"],
  arrival_date: ["date d arrivee", "date de retour", "arrivee", "arrival date", "date of arrival", "return date"],
  return_type: ["type de retour", "return type", "type retour"],
  region: ["region"],
  commune: ["commune", "localite", "ville", "town"],
  household_size: ["taille du menage", "menage", "household size", "household"],
  vulnerabilities: ["vulnerabilites", "vulnerabilite", "vulnerabilities", "vulnerability"],
  declared_trade: ["metier", "metier declare", "trade", "declared trade", "occupation"],
  document_kind: ["type de piece", "piece", "document type", "id type"],
  document_number: ["numero de piece", "n piece", "no piece", "document number", "id number", "cnib"],
  address: ["adresse", "address", "quartier"],
};

/** The column each target is probably in (-1: none). */
export function guessMapping(headers: string[]): Record<Target, number> {
  const normalised = headers.map(norm);
  const mapping = {} as Record<Target, number>;
  for (const target of TARGETS) {
    mapping[target] = normalised.findIndex((h) => SYNONYMS[target].includes(h));
  }
  return mapping;
}

const VALUE_SYNONYMS: Partial<Record<Vocabulary, Record<string, string>>> = {
  Sex: { f: "female", femme: "female", feminin: "female", female: "female", w: "female", m: "male", h: "male", homme: "male", masculin: "male", male: "male", autre: "other", other: "other" },
  ReturnType: {
    "retour volontaire assiste": "assisted_voluntary", rva: "assisted_voluntary", avr: "assisted_voluntary",
    "assisted voluntary": "assisted_voluntary", "assisted voluntary return": "assisted_voluntary", volontaire: "assisted_voluntary",
    "evacuation humanitaire": "humanitarian_evacuation", "humanitarian evacuation": "humanitarian_evacuation", evacuation: "humanitarian_evacuation",
    force: "forced", "retour force": "forced", forced: "forced", expulse: "forced",
    spontane: "spontaneous", "retour spontane": "spontaneous", spontaneous: "spontaneous",
  },
  Vulnerability: {
    "mineur non accompagne": "unaccompanied_minor", mna: "unaccompanied_minor", "unaccompanied minor": "unaccompanied_minor",
    "victime de traite": "victim_of_trafficking", traite: "victim_of_trafficking", "victim of trafficking": "victim_of_trafficking",
    "parent isole": "single_parent", "single parent": "single_parent",
    "probleme medical grave": "serious_medical_condition", "serious medical condition": "serious_medical_condition", medical: "serious_medical_condition",
    handicap: "disability", disability: "disability", "personne agee": "elderly", elderly: "elderly",
  },
  DocumentKind: {
    cnib: "national_id", cni: "national_id", "carte nationale d identite": "national_id", "national id": "national_id",
    passeport: "passport", passport: "passport", "carte consulaire": "consular_card", "consular card": "consular_card",
    "acte de naissance": "birth_certificate", "birth certificate": "birth_certificate", "laissez passer": "laissez_passer",
    autre: "other", other: "other",
  },
};

export function enumValue(vocab: Vocabulary, raw: string, known: string[]): string | undefined {
  const n = norm(raw);
  if (!n) return undefined;
  const snake = n.replace(/ /g, "_");
  if (known.includes(snake)) return snake;
  return VALUE_SYNONYMS[vocab]?.[n];
}

/** "2018-03-12", "12/03/2018", "12-03-2018" or an Excel serial day number, to ISO. */
export function toIsoDate(raw: string): string | undefined {
  const s = raw.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return iso(Number(m[3]), Number(m[2]), Number(m[1]));
  if (/^\d{4,5}(\.\d+)?$/.test(s)) {
    // Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
    const day = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(s)) * 86_400_000);
    return day.toISOString().slice(0, 10);
  }
  return undefined;
}

function iso(y: number, mo: number, d: number): string | undefined {
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  return day.toISOString().slice(0, 10);
}

export interface RowProblem {
  field: string; // a target, or a service's field path
  reason: string; // an English reason (shown translated) or a rule code
  rule?: string;
}

export interface Vocabularies {
  Sex: string[];
  ReturnType: string[];
  Vulnerability: string[];
  DocumentKind: string[];
}

/** The registration body a row makes, or what is wrong with it before asking the service. */
export function registrationOf(
  row: string[],
  mapping: Record<Target, number>,
  vocab: Vocabularies,
): { body?: Record<string, unknown>; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (t: Target): string => (mapping[t] >= 0 ? (row[mapping[t]] ?? "").trim() : "");
  for (const target of REQUIRED) if (!cell(target)) problems.push({ field: target, reason: "Field required" });
  const date = (t: Target): string | undefined => {
    const raw = cell(t);
    if (!raw) return undefined;
    const value = toIsoDate(raw);
    if (!value) problems.push({ field: t, reason: "Input should be a valid date" });
    return value;
  };
  const choice = (t: Target, name: keyof Vocabularies): string | undefined => {
    const raw = cell(t);
    if (!raw) return undefined;
    const value = enumValue(name, raw, vocab[name]);
    if (!value) problems.push({ field: t, reason: "Input should be one of the proposed values" });
    return value;
  };
  const birth = date("birth_date");
  const arrival = date("arrival_date");
  const sex = choice("sex", "Sex");
  const returnType = choice("return_type", "ReturnType");
  const documentKind = choice("document_kind", "DocumentKind");
  const household = cell("household_size");
  const size = household ? Number(household) : undefined;
  if (household && !(Number.isInteger(size) && (size ?? 0) >= 1)) {
    problems.push({ field: "household_size", reason: "Input should be a valid integer" });
  }
  const vulnerabilities: string[] = [];
  for (const part of cell("vulnerabilities").split(/[;,/]/).map((p) => p.trim()).filter(Boolean)) {
    const v = enumValue("Vulnerability", part, vocab.Vulnerability);
    if (v) vulnerabilities.push(v);
    else problems.push({ field: "vulnerabilities", reason: "Input should be one of the proposed values" });
  }
  if (problems.length) return { problems };
  const trade = cell("declared_trade");
  const documentNumber = cell("document_number");
  const person: Record<string, unknown> = {
    given_names: cell("given_names"),
    family_name: cell("family_name"),
    birth_date: birth,
  };
  if (cell("phone")) person.phone = cell("phone");
  if (cell("address")) person.address = cell("address");
  if (documentNumber) person.identity_document = { kind: documentKind ?? "other", number: documentNumber };
  const body: Record<string, unknown> = {
    arrival_date: arrival,
    return_type: returnType,
    community: { region: cell("region"), commune: cell("commune") },
    sex,
    person,
    household_size: size,
    vulnerabilities,
    declared_trades: trade
      ? [{ trade: trade.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, ""), years_of_experience: 0 }]
      : [],
  };
  return { body, problems };
}
