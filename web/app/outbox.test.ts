import "fake-indexeddb/auto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { closeDatabase } from "./store";
import { enqueue, flush, items } from "./outbox";

function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

beforeEach(async () => {
  closeDatabase();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase("reintegration-staff");
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
  });
  vi.restoreAllMocks();
});

const visit = (n: number) => ({ act: "follow-up", method: "POST", url: `/api/monitoring/v/${n}`, body: { n }, summary: "" });

describe("the outbox", () => {
  it("sends in order with each item's own key, goes on after a refusal, stops without network", async () => {
    for (const n of [1, 2, 3, 4]) await enqueue(visit(n), "awa", "bf");
    const seen: { url: string; key: string | null }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      seen.push({ url, key: new Headers(init.headers).get("Idempotency-Key") });
      if (url.endsWith("/2")) return reply(409, { error: "rule_violation", rule: "no_kit_delivered", detail: "" });
      if (url.endsWith("/3")) throw new TypeError("Failed to fetch");
      return reply(201, { ok: true });
    });
    const result = await flush("token", "awa");
    expect(result).toEqual({ sent: 1, refused: 1, stoppedBy: "network" });
    expect(seen.map((s) => s.url)).toEqual(["/api/monitoring/v/1", "/api/monitoring/v/2", "/api/monitoring/v/3"]);
    const after = await items("awa");
    expect(after.map((i) => i.status)).toEqual(["sent", "refused", "pending", "pending"]);
    expect(after[1]?.refusal?.rule).toBe("no_kit_delivered");
    // Back online: the pending ones go, with the keys they were queued with.
    const keys = after.map((i) => i.key);
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      seen.push({ url, key: new Headers(init.headers).get("Idempotency-Key") });
      return reply(201, {});
    });
    await flush("token", "awa");
    expect((await items("awa")).map((i) => i.status)).toEqual(["sent", "refused", "sent", "sent"]);
    // Item 3 failed without network; it goes again with the key it was first sent with.
    expect(seen[2]?.key).toBe(keys[2]);
    expect(seen.slice(3).map((s) => s.key)).toEqual([keys[2], keys[3]]);
  });

  it("queues one item for one key (the same spreadsheet row twice)", async () => {
    await enqueue({ ...visit(1), key: "import-abc-2" }, "awa", "bf");
    await enqueue({ ...visit(1), key: "import-abc-2" }, "awa", "bf");
    expect(await items("awa")).toHaveLength(1);
  });

  it("sends only the signed-in user's items", async () => {
    await enqueue(visit(1), "awa", "bf");
    await enqueue(visit(2), "issa", "bf");
    vi.stubGlobal("fetch", async () => reply(201, {}));
    expect((await flush("token", "awa")).sent).toBe(1);
    expect((await items("issa"))[0]?.status).toBe("pending");
  });
});
