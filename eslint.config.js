import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "app/generated/**", "node_modules/**", ".data/**", "scratch/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", Response: "readonly", Request: "readonly", Headers: "readonly", setTimeout: "readonly", clearTimeout: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", Buffer: "readonly", structuredClone: "readonly", window: "readonly", document: "readonly", FormData: "readonly", fetch: "readonly", AbortController: "readonly", crypto: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
    },
  },
  {
    // Statecharts stay pure: no database, no HTTP, no clock, no Node.
    files: ["workflows/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^(?!xstate(/graph)?$|\\.{1,2}/).*", message: "workflows/ may import only xstate and its own files: no I/O, no database, no Node." }] }],
      "no-restricted-globals": ["error", "fetch", "process", "setTimeout", "setInterval"],
      "no-restricted-syntax": ["error", { selector: "MemberExpression[object.name='Date'][property.name='now']", message: "No clock in statecharts: time comes in through events." }, { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "No clock in statecharts: time comes in through events." }, { selector: "MemberExpression[object.name='Math'][property.name='random']", message: "Statecharts are deterministic." }],
    },
  },
);
