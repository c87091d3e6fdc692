import { describe, expect, it } from "vitest";
import { formPath, initialValues, missingRequired, setPath, toBody, type Field } from "./fields";

const fields: Field[] = [
  { kind: "text", path: "person.given_names", label: "f.given_names", required: true },
  { kind: "select", path: "person.identity_document.kind", label: "f.document_kind", vocab: "DocumentKind" },
  { kind: "text", path: "person.identity_document.number", label: "f.document_number" },
  { kind: "number", path: "household_size", label: "f.household_size", required: true },
  { kind: "tags", path: "skills", label: "f.skills" },
  { kind: "ref", path: "@returnee_id", label: "f.returnee", source: "returnees" },
  {
    kind: "list",
    path: "budget_lines",
    label: "f.budget_lines",
    addLabel: "add.budget_line",
    min: 1,
    fields: [
      { kind: "text", path: "item", label: "f.item", required: true },
      { kind: "number", path: "quantity", label: "f.quantity", required: true },
    ],
  },
];

describe("a form's values become the request body", () => {
  it("types numbers, splits tags, leaves URL fields and empty objects out", () => {
    let values = initialValues(fields, () => "id");
    values = setPath(values, "person.given_names", " Aminata ");
    values = setPath(values, "household_size", "4");
    values = setPath(values, "skills", "Sewing, market selling");
    values = setPath(values, "@returnee_id", "r-1");
    values = setPath(values, "budget_lines.0.item", "sewing machine");
    values = setPath(values, "budget_lines.0.quantity", "2");
    expect(toBody(fields, values)).toEqual({
      person: { given_names: "Aminata" },
      household_size: 4,
      skills: ["sewing", "market_selling"],
      budget_lines: [{ item: "sewing machine", quantity: 2 }],
    });
  });

  it("names every required value left empty, rows included", () => {
    const values = initialValues(fields, () => "id");
    expect(missingRequired(fields, values)).toEqual([
      "person.given_names",
      "household_size",
      "budget_lines.0.item",
      "budget_lines.0.quantity",
    ]);
  });

  it("points a service's field path at the form's input", () => {
    expect(formPath("body.budget_lines.0.quantity")).toBe("budget_lines.0.quantity");
    expect(formPath("path.returnee_id")).toBe("@returnee_id");
  });
});
