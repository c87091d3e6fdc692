/**
 * The import's two passes over a sheet: a dry run (every row sent with `Dry-Run: true`, so the
 * services check it exactly as they would register it, duplicates included, and keep nothing)
 * and the import itself. Each row carries the Idempotency-Key made from the file's content and
 * its place in it, so importing the same file again registers no one twice. Rows go a few at a
 * time: they are independent registrations, and a busy office's connection is thin.
 */
import { ApiError, NetworkError, send } from "../api";
import type { RowProblem } from "./mapping";

export interface RowJob {
  row: number; // 1-based, the header being row 0... shown as the sheet's line number
  key: string;
  body?: Record<string, unknown>;
  problems: RowProblem[];
}

export type RowResult =
  | { row: number; outcome: "ok"; replayed: boolean; id?: string }
  | { row: number; outcome: "invalid"; problems: RowProblem[] }
  | { row: number; outcome: "failed"; problems: RowProblem[] };

export class DryRunIgnored extends Error {}

export interface RunOptions {
  url: string;
  token: string;
  dryRun: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

function problemsOf(error: ApiError): RowProblem[] {
  if (error.fields.length) return error.fields.map((f) => ({ field: f.field, reason: f.reason }));
  return [{ field: "", reason: error.detail, rule: error.rule ?? error.code }];
}

async function runOne(job: RowJob, options: RunOptions): Promise<RowResult> {
  if (!job.body) return { row: job.row, outcome: "invalid", problems: job.problems };
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await send("POST", options.url, {
        token: options.token,
        body: job.body,
        idempotencyKey: job.key,
        dryRun: options.dryRun,
      });
      // A service that does not honour Dry-Run has just registered the row for real.
      if (options.dryRun && !answer.dryRun) throw new DryRunIgnored(String(job.row));
      const id = (answer.body as { returnee_id?: string } | null)?.returnee_id;
      return { row: job.row, outcome: "ok", replayed: answer.replayed, ...(id ? { id } : {}) };
    } catch (error) {
      if (error instanceof ApiError && error.isRefusal && error.code !== "concurrency_conflict") {
        return { row: job.row, outcome: "invalid", problems: problemsOf(error) };
      }
      if (error instanceof DryRunIgnored || attempt >= 4 || options.signal?.aborted) {
        if (error instanceof DryRunIgnored) throw error;
        const code = error instanceof NetworkError ? "network" : error instanceof ApiError ? error.code : "error";
        return { row: job.row, outcome: "failed", problems: [{ field: "", reason: "", rule: code }] };
      }
      // The same key makes the retry safe: the service replays if the first went through.
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

export async function runImport(jobs: RowJob[], options: RunOptions): Promise<RowResult[]> {
  const results: RowResult[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length && !options.signal?.aborted) {
      const index = next++;
      results[index] = await runOne(jobs[index]!, options);
      done += 1;
      options.onProgress?.(done, jobs.length);
    }
  };
  // A dry run's first row goes alone: if the service ignores Dry-Run, one row is recorded for
  // real before the app stops, not one per worker.
  if (options.dryRun && jobs.length > 0) {
    results[0] = await runOne(jobs[0]!, options);
    next = 1;
    done = 1;
    options.onProgress?.(done, jobs.length);
  }
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return results.filter(Boolean);
}
