/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  serverDependenciesToBundle: [/^\.\/generated\//],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off: with ~50 routes the whole manifest is one small cached file; discovery would match
    // routes again for every rendered page and ask /__manifest for every link in view (decision 0013).
    v3_lazyRouteDiscovery: false,
  },
};
