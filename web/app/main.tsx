import { render } from "preact";
import "./styles.css";
import { App } from "./ui/App";

// The service worker keeps the app's shell so that it opens without a network.
if ("serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
}

render(<App />, document.getElementById("app")!);
