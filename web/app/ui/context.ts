import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Session } from "../auth";

export interface AppContext {
  session: Session;
  online: boolean;
  /** Send what is queued now (after a submission, or when the network returns). */
  sync: () => Promise<void>;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("outside the signed-in app");
  return ctx;
}
