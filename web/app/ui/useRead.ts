import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { read, type Read } from "../cache";
import { useApp } from "./context";

export interface ReadState<T> {
  data?: Read<T>;
  error?: string; // an error or rule code
  loading: boolean;
}

/** A list for the screen, from the service or, offline, from the device. */
export function useRead<T>(url: string | undefined, refresh = 0): ReadState<T> {
  const { session } = useApp();
  const [state, setState] = useState<ReadState<T>>({ loading: Boolean(url) });
  useEffect(() => {
    if (!url) {
      setState({ loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    read<T>(url, session.token, session.subject).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) =>
        live && setState({ loading: false, error: error instanceof ApiError ? error.code : "network" }),
    );
    return () => {
      live = false;
    };
  }, [url, session.token, refresh]);
  return state;
}
