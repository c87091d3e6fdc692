import { defineConfig } from "vitest/config";

const here = (path: string): string => decodeURIComponent(new URL(path, import.meta.url).pathname);

// The app and its service worker are built from the lockfile into dist/, served by the host
// process (src/reintegration_web) on the same origin as the APIs it forwards.
export default defineConfig({
  root: "app",
  base: "/",
  publicDir: "public",
  // A new build is a new service worker, so devices drop the old shell.
  define: { __BUILD__: JSON.stringify(String(Date.now())) },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    manifest: "manifest.json",
    sourcemap: true,
    rollupOptions: {
      input: { app: here("app/index.html"), sw: here("app/sw.ts") },
      // The service worker must keep one name at the root so its scope is the whole app.
      output: { entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js") },
    },
  },
  test: { root: ".", include: ["app/**/*.test.ts"], environment: "node" },
});
