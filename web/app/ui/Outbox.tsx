import { useEffect, useState } from "preact/hooks";
import { formatDate, t } from "../i18n";
import { actById } from "../forms/acts";
import type { Values } from "../forms/fields";
import { dismiss, items, onOutboxChange, type Item } from "../outbox";
import { openDraft, RefusalNotice } from "./ActForm";
import { useApp } from "./context";

export function useOutbox(subject: string): Item[] {
  const [list, setList] = useState<Item[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => void items(subject).then((found) => live && setList(found));
    load();
    const off = onOutboxChange(load);
    return () => {
      live = false;
      off();
    };
  }, [subject]);
  return list;
}

export function Outbox() {
  const { session, online, sync } = useApp();
  const list = useOutbox(session.subject);
  const counts = { pending: 0, sent: 0, refused: 0 };
  for (const i of list) counts[i.status] += 1;
  return (
    <section aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t("outbox.title")}</h2>
      <p data-counts={`${counts.pending}/${counts.sent}/${counts.refused}`}>
        {t("outbox.counts", { pending: counts.pending, sent: counts.sent, refused: counts.refused })}
      </p>
      <button type="button" disabled={!online || counts.pending === 0} onClick={() => void sync()}>
        {t("outbox.send_now")}
      </button>
      {list.length === 0 ? <p>{t("outbox.empty")}</p> : null}
      <ol class="outbox">
        {[...list].reverse().map((item) => (
          <li key={item.seq} data-status={item.status} data-act={item.act} data-key={item.key}>
            <span class={`badge ${item.status}`}>{t(`status.${item.status}`)}</span>{" "}
            <strong>{t(actById(item.act)?.title ?? "act.unknown")}</strong> {item.summary}{" "}
            <span class="when">{formatDate(item.createdAt)}</span>
            {item.status === "pending" && item.lastError ? (
              <span class="hint"> {t("outbox.waiting")}</span>
            ) : null}
            {item.replayed ? <span class="hint"> {t("outcome.replayed")}</span> : null}
            {item.refusal ? <RefusalNotice refusal={item.refusal} /> : null}
            {item.status === "refused" ? (
              <span class="actions">
                {item.values ? (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      void dismiss(item.seq);
                      openDraft({
                        act: item.act,
                        values: item.values as Values,
                        ...(item.refusal ? { refusal: item.refusal } : {}),
                      });
                    }}
                  >
                    {t("outbox.open_again")}
                  </button>
                ) : null}
                <button type="button" class="secondary" onClick={() => void dismiss(item.seq)}>
                  {t("outbox.dismiss")}
                </button>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
