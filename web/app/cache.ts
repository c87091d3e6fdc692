/**
 * Reads for the day's work, kept on the device: what a list showed when last online is what it
 * shows offline, with the time it was fetched. Entries belong to the user who fetched them
 * and go with sign-out.
 */
import { NetworkError, send } from "./api";
import { CACHE, idb, transact } from "./store";

export interface Read<T> {
  body: T;
  fetchedAt: string;
  fromCache: boolean;
}

interface Entry {
  id: string;
  subject: string;
  url: string;
  body: unknown;
  fetchedAt: string;
}

const entryId = (subject: string, url: string): string => `${subject} ${url}`;

async function put(subject: string, url: string, body: unknown, fetchedAt: string): Promise<void> {
  const entry: Entry = { id: entryId(subject, url), subject, url, body, fetchedAt };
  await transact(CACHE, "readwrite", (tx) => idb.done(tx.objectStore(CACHE).put(entry)));
}

export async function cached<T>(subject: string, url: string): Promise<Read<T> | undefined> {
  const entry = (await transact(CACHE, "readonly", (tx) =>
    idb.done(tx.objectStore(CACHE).get(entryId(subject, url))),
  )) as Entry | undefined;
  return entry ? { body: entry.body as T, fetchedAt: entry.fetchedAt, fromCache: true } : undefined;
}

/** The service's answer, kept for later; offline, the last answer kept (or the error). */
export async function read<T>(url: string, token: string, subject: string): Promise<Read<T>> {
  try {
    const answer = await send("GET", url, { token });
    const fetchedAt = new Date().toISOString();
    await put(subject, url, answer.body, fetchedAt);
    return { body: answer.body as T, fetchedAt, fromCache: false };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const kept = await cached<T>(subject, url);
    if (kept) return kept;
    throw error;
  }
}

export async function forget(subject: string): Promise<void> {
  await transact(CACHE, "readwrite", async (tx) => {
    const store = tx.objectStore(CACHE);
    const all = (await idb.done(store.getAll())) as Entry[];
    for (const entry of all.filter((e) => e.subject === subject)) await idb.done(store.delete(entry.id));
  });
}
