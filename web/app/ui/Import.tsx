import { useState } from "preact/hooks";
import { errorMessage, ruleMessage, t, vocab, type MessageKey } from "../i18n";
import { guessMapping, REQUIRED, registrationOf, TARGETS, type Target } from "../import/mapping";
import { DryRunIgnored, runImport, type RowJob, type RowResult } from "../import/run";
import { readSheet, rowKey, sha256Hex, type Sheet } from "../import/sheet";
import { paths } from "../paths";
import { reason } from "../reasons";
import { useApp } from "./context";

interface Loaded {
  name: string;
  sheet: Sheet;
  hash: string;
}

function jobsOf(loaded: Loaded, mapping: Record<Target, number>): RowJob[] {
  const vocabularies = {
    Sex: vocab("Sex"),
    ReturnType: vocab("ReturnType"),
    Vulnerability: vocab("Vulnerability"),
    DocumentKind: vocab("DocumentKind"),
  };
  return loaded.sheet.rows.map((cells, index) => {
    const { body, problems } = registrationOf(cells, mapping, vocabularies);
    // Line numbers as the spreadsheet shows them: the header is line 1.
    return { row: index + 2, key: rowKey(loaded.hash, index + 2), problems, ...(body ? { body } : {}) };
  });
}

function problemText(p: { field: string; reason: string; rule?: string }): string {
  if (p.rule) return ruleOrError(p.rule);
  const field = p.field.replace(/^body\./, "");
  const target = TARGETS.find((x) => x === field);
  const label = target ? t(`import.target.${target}` as MessageKey) : field;
  return `${label}: ${reason(p.reason).text}`;
}

function ruleOrError(code: string): string {
  const rule = ruleMessage(code);
  return rule.startsWith("⟦") ? errorMessage(code) : rule;
}

export function Import() {
  const { session, online } = useApp();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [mapping, setMapping] = useState<Record<Target, number> | null>(null);
  const [phase, setPhase] = useState<"idle" | "dry-run" | "checked" | "importing" | "done">("idle");
  const [progress, setProgress] = useState<[number, number]>([0, 0]);
  const [results, setResults] = useState<RowResult[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  async function choose(file: File | undefined) {
    if (!file) return;
    setFailure(null);
    setResults([]);
    setPhase("idle");
    try {
      const { sheet, bytes } = await readSheet(file);
      setLoaded({ name: file.name, sheet, hash: await sha256Hex(bytes) });
      setMapping(guessMapping(sheet.headers));
    } catch {
      setFailure(t("import.unreadable"));
    }
  }

  async function run(dryRun: boolean) {
    if (!loaded || !mapping) return;
    setFailure(null);
    setPhase(dryRun ? "dry-run" : "importing");
    const jobs = jobsOf(loaded, mapping);
    setProgress([0, jobs.length]);
    try {
      const found = await runImport(jobs, {
        url: paths.returnees(session.office),
        token: session.token,
        dryRun,
        onProgress: (done, total) => setProgress([done, total]),
      });
      setResults(found);
      setPhase(dryRun ? "checked" : "done");
    } catch (error) {
      setFailure(error instanceof DryRunIgnored ? errorMessage("dry_run_unsupported") : errorMessage("network"));
      setPhase("idle");
    }
  }

  const wrong = results.filter((r) => r.outcome !== "ok");
  const ok = results.filter((r) => r.outcome === "ok");
  const replayed = ok.filter((r) => r.outcome === "ok" && r.replayed).length;
  const missingTargets = mapping ? [...REQUIRED].filter((target) => mapping[target] < 0) : [];
  const busy = phase === "dry-run" || phase === "importing";
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t("import.title")}</h2>
      <p class="intro">{t("import.intro")}</p>
      <div class="field">
        <label for="import-file">{t("import.file")}</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => void choose(e.currentTarget.files?.[0])}
        />
      </div>
      {failure ? (
        <p class="notice error" role="alert">
          {failure}
        </p>
      ) : null}
      {loaded && mapping ? (
        <>
          <p data-rows={loaded.sheet.rows.length}>{t("import.rows", { n: loaded.sheet.rows.length, name: loaded.name })}</p>
          <fieldset class="mapping">
            <legend>{t("import.mapping")}</legend>
            {TARGETS.map((target) => (
              <div class="field" key={target}>
                <label for={`map-${target}`}>
                  {t(`import.target.${target}` as MessageKey)}
                  {REQUIRED.has(target) ? <span aria-hidden="true"> *</span> : null}
                </label>
                <select
                  id={`map-${target}`}
                  data-target={target}
                  value={String(mapping[target])}
                  onChange={(e) => setMapping({ ...mapping, [target]: Number(e.currentTarget.value) })}
                >
                  <option value="-1">{t("import.no_column")}</option>
                  {loaded.sheet.headers.map((h, i) => (
                    <option key={i} value={String(i)}>
                      {h}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </fieldset>
          {missingTargets.length ? (
            <p class="notice error" role="alert">
              {t("import.unmapped", { n: missingTargets.length })}
            </p>
          ) : null}
          <div class="actions">
            <button type="button" class="secondary" disabled={busy || !online} onClick={() => void run(true)}>
              {t("import.dry_run")}
            </button>
            <button type="button" disabled={busy || !online || phase !== "checked"} onClick={() => void run(false)}>
              {t("import.run")}
            </button>
          </div>
          {busy || phase === "done" || phase === "checked" ? (
            <div class="progress">
              <label for="import-progress">{t(phase === "dry-run" || phase === "checked" ? "import.checking" : "import.importing")}</label>
              <progress id="import-progress" max={progress[1] || 1} value={progress[0]} />
              <span data-progress={`${progress[0]}/${progress[1]}`}>
                {progress[0]} / {progress[1]}
              </span>
            </div>
          ) : null}
          {phase === "checked" || phase === "done" ? (
            <div role="status" data-import-result={phase}>
              <p data-ok={ok.length} data-wrong={wrong.length} data-replayed={replayed}>
                {phase === "checked"
                  ? t("import.checked", { ok: ok.length, wrong: wrong.length })
                  : t("import.done", { ok: ok.length - replayed, replayed, wrong: wrong.length })}
              </p>
              {wrong.length ? (
                <table class="errors">
                  <caption>{t("import.errors")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("import.line")}</th>
                      <th scope="col">{t("import.problems")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {wrong.slice(0, 500).map((r) => (
                      <tr key={r.row} data-row={r.row}>
                        <td>{r.row}</td>
                        <td>{"problems" in r ? r.problems.map(problemText).join("; ") : ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
