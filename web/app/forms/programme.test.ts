import { describe, expect, it } from "vitest";
import bf from "../../../scenarios/src/reintegration_scenarios/bundled/programmes/bf.json";
import ml from "../../../scenarios/src/reintegration_scenarios/bundled/programmes/ml.json";
import { actById } from "./acts";
import { toBody, valuesFrom } from "./fields";

// The configurations the platform ships: what an office's form opens on.
const SHIPPED: Record<string, Record<string, unknown>> = { bf, ml };
const shipped = (code: string): Record<string, unknown> => structuredClone(SHIPPED[code] ?? {});

describe("the office programme's form", () => {
  const act = actById("programme");

  it("opens on the configuration in force and saves it unchanged", () => {
    expect(act).toBeDefined();
    for (const code of ["bf", "ml"]) {
      const inForce = { ...shipped(code), version: 3, configured_on: "2026-01-05" };
      const values = valuesFrom(act!.fields, inForce, () => "id");
      // Whatever the answer holds beyond the form (version, date) is not sent back.
      expect(act!.request(values, "bf")).toEqual({
        method: "PUT",
        url: "/api/programme/offices/bf/configuration",
        body: shipped(code),
      });
    }
  });

  it("sends a changed pass mark as a number", () => {
    const values = valuesFrom(act!.fields, shipped("ml"), () => "id");
    const body = toBody(act!.fields, { ...values, certification: { ...(values.certification as object), pass_mark: "65" } });
    expect((body.certification as { pass_mark: number }).pass_mark).toBe(65);
  });
});
