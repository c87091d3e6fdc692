import { describe, expect, it } from "vitest";
import { guessMapping, registrationOf, toIsoDate } from "./mapping";
import { parseCsv, rowKey } from "./sheet";

const vocab = {
  Sex: ["female", "male", "other"],
  ReturnType: ["assisted_voluntary", "humanitarian_evacuation", "forced", "spontaneous"],
  Vulnerability: ["unaccompanied_minor", "victim_of_trafficking", "single_parent", "serious_medical_condition", "disability", "elderly"],
  DocumentKind: ["national_id", "passport", "consular_card", "birth_certificate", "laissez_passer", "other"],
};

const CSV = `Nom;Prénom(s);Date de naissance;Sexe;Téléphone;Date d'arrivée;Type de retour;Région;Commune;Taille du ménage;Vulnérabilités;Métier
Ouédraogo;Aminata;17/05/1994;F;+226 70 11 22 33;2018-03-12;RVA;Centre-Est;Tenkodogo;4;Parent isolé;Couture
Kaboré;"Issa ""Junior""";31/02/1990;X;;12/03/2018;forcé;Centre-Est;Garango;;;
`;

describe("a caseload spreadsheet", () => {
  it("reads semicolon CSV with quotes and maps French headers", () => {
    const sheet = parseCsv(CSV);
    expect(sheet.rows).toHaveLength(2);
    expect(sheet.rows[1]?.[1]).toBe('Issa "Junior"');
    const mapping = guessMapping(sheet.headers);
    expect(mapping.family_name).toBe(0);
    expect(mapping.given_names).toBe(1);
    expect(mapping.arrival_date).toBe(5);
    expect(mapping.declared_trade).toBe(11);
  });

  it("turns the values offices write into the API's, and lists every problem of a row", () => {
    const sheet = parseCsv(CSV);
    const mapping = guessMapping(sheet.headers);
    const good = registrationOf(sheet.rows[0]!, mapping, vocab);
    expect(good.problems).toEqual([]);
    expect(good.body).toMatchObject({
      sex: "female",
      return_type: "assisted_voluntary",
      arrival_date: "2018-03-12",
      person: { birth_date: "1994-05-17", family_name: "Ouédraogo" },
      vulnerabilities: ["single_parent"],
      declared_trades: [{ trade: "couture", years_of_experience: 0 }],
      household_size: 4,
    });
    const bad = registrationOf(sheet.rows[1]!, mapping, vocab);
    expect(bad.body).toBeUndefined();
    expect(bad.problems.map((p) => p.field).sort()).toEqual(["birth_date", "household_size", "sex"]);
  });

  it("reads dates as offices write them, Excel serials included", () => {
    expect(toIsoDate("2018-03-12")).toBe("2018-03-12");
    expect(toIsoDate("12/03/2018")).toBe("2018-03-12");
    expect(toIsoDate("43171")).toBe("2018-03-12");
    expect(toIsoDate("31/02/2018")).toBeUndefined();
  });

  it("gives a row the same key each time the same file is imported", () => {
    expect(rowKey("ab".repeat(32), 7)).toBe(rowKey("ab".repeat(32), 7));
    expect(rowKey("ab".repeat(32), 7)).not.toBe(rowKey("ab".repeat(32), 8));
  });
});
