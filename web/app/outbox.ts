/**
 * Every submission goes through the outbox, online or not: it is written to IndexedDB with its
 * own Idempotency-Key before anything is sent, then sent in order when the network allows.
 *
 * - A reload or a crash while offline loses nothing: the item and its key are on the device.
 * - A crash after the service answered but before the answer was written here makes the item
 *   go again with the same key; the service replays its first answer and appends nothing.
 * - A refusal (a 4xx other than a race) is final for that item: it is kept with its reason
 *   and the next item goes on. Anything else (no network, 5xx, a race) stops the run so that
 *   later items never overtake an earlier one.
 * - Two tabs never send at once (a Web Lock), and a user sends only their own items: the key
 *   is scoped by the token's subject on the server.
 */
import { ApiError, NetworkError, send, type FieldProblem } from "./api";
import { idb, OUTBOX, transact } from "./store";

export type Status = "pending" | "sent" | "refused";

export interface Refusal {
  status: number;
  code: string;
  rule?: string | undefined;
  detail: string;
  fields: FieldProblem[];
  context?: Record<string, unknown> | undefined;
}

export interface Submission {
  act: string;
  method: string;
  url: string;
  body?: unknown;
  summary: string;
  /** The form's values, to open it again (a refused registration sent with an override). */
  values?: unknown;
  /** A key derived from the content (a spreadsheet row) instead of a fresh one. */
  key?: string;
}

export interface Item extends Submission {
  seq: number;
  key: string;
  subject: string;
  office: string;
  status: Status;
  createdAt: string;
  attempts: number;
  sentAt?: string;
  answer?: unknown;
  replayed?: boolean;
  refusal?: Refusal;
  lastError?: string;
}

export function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const listeners = new Set<() => void>();
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function changed(): void {
  for (const listener of listeners) listener();
}

/** Queue a submission; resolves once it is safely on the device. */
export async function enqueue(submission: Submission, subject: string, office: string): Promise<Item> {
  const key = submission.key ?? newKey();
  const item = await transact(OUTBOX, "readwrite", async (tx) => {
    const store = tx.objectStore(OUTBOX);
    // The same key queued twice (the same spreadsheet row imported again) is one item.
    const existing = await idb.done(store.index("key").get(key));
    if (existing) return existing as Item;
    const fresh: Omit<Item, "seq"> = {
      ...submission,
      key,
      subject,
      office,
      status: "pending",
      createdAt: new Date().toISOString(),
      attempts: 0,
    };
    const seq = await idb.done(store.add(fresh));
    return { ...fresh, seq: Number(seq) };
  });
  changed();
  return item;
}

export async function items(subject?: string): Promise<Item[]> {
  const all = await transact(OUTBOX, "readonly", (tx) => idb.done(tx.objectStore(OUTBOX).getAll()));
  return (all as Item[]).filter((i) => subject === undefined || i.subject === subject).sort((a, b) => a.seq - b.seq);
}

export async function itemBySeq(seq: number): Promise<Item | undefined> {
  return (await transact(OUTBOX, "readonly", (tx) => idb.done(tx.objectStore(OUTBOX).get(seq)))) as
    | Item
    | undefined;
}

async function update(seq: number, change: Partial<Item>): Promise<void> {
  await transact(OUTBOX, "readwrite", async (tx) => {
    const store = tx.objectStore(OUTBOX);
    const current = (await idb.done(store.get(seq))) as Item | undefined;
    if (current) await idb.done(store.put({ ...current, ...change }));
  });
  changed();
}

/** Remove a refused or sent item from the list (a pending one is never dropped silently). */
export async function dismiss(seq: number): Promise<void> {
  await transact(OUTBOX, "readwrite", async (tx) => {
    const store = tx.objectStore(OUTBOX);
    const current = (await idb.done(store.get(seq))) as Item | undefined;
    if (current && current.status !== "pending") await idb.done(store.delete(seq));
  });
  changed();
}

export interface FlushResult {
  sent: number;
  refused: number;
  stoppedBy?: string; // why pending items remain: "network", "service_unavailable", ...
}

function retryable(error: ApiError): boolean {
  // A race with another writer or an expired session is no verdict on the item itself.
  return !error.isRefusal || error.code === "concurrency_conflict" || error.status === 401;
}

async function flushLocked(token: string, subject: string): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, refused: 0 };
  for (const pending of (await items(subject)).filter((i) => i.status === "pending")) {
    await update(pending.seq, { attempts: pending.attempts + 1 });
    try {
      const answer = await send(pending.method, pending.url, {
        token,
        body: pending.body,
        idempotencyKey: pending.key,
      });
      await update(pending.seq, {
        status: "sent",
        answer: answer.body,
        replayed: answer.replayed,
        sentAt: new Date().toISOString(),
      });
      result.sent += 1;
    } catch (error) {
      if (error instanceof ApiError && !retryable(error)) {
        const refusal: Refusal = {
          status: error.status,
          code: error.code,
          rule: error.rule,
          detail: error.detail,
          fields: error.fields,
          context: error.context,
        };
        await update(pending.seq, { status: "refused", refusal, sentAt: new Date().toISOString() });
        result.refused += 1;
        continue;
      }
      const why = error instanceof NetworkError ? "network" : error instanceof ApiError ? error.code : "error";
      await update(pending.seq, { lastError: why });
      result.stoppedBy = why;
      break;
    }
  }
  return result;
}

let running: Promise<FlushResult> | null = null;

/** Send the user's pending items in order; one run at a time per device. */
export function flush(token: string, subject: string): Promise<FlushResult> {
  if (running) return running.then(() => flush(token, subject));
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  const run = locks
    ? (locks.request("staff-outbox", () => flushLocked(token, subject)) as unknown as Promise<FlushResult>)
    : flushLocked(token, subject);
  running = run.finally(() => {
    running = null;
  });
  return running;
}
