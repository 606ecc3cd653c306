// ESLint over every TypeScript folder, with typescript-eslint's type-checked rules (type information from
// tsconfig.eslint.json). `npm run lint` runs it with dependency-cruiser and knip.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "**/node_modules/**",
      ".work/**",
      ".tools/**",
      // a stand-in provider package (plain CommonJS) that the benchmarks copy into a program's node_modules
      "bench/fixtures/noop-provider/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: "./tsconfig.eslint.json",
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits
      "@typescript-eslint/no-floating-promises": ["error", {
        allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "describe", "it", "suite"] }],
      }],
      // a leading underscore marks a parameter a signature requires; a rest sibling leaves properties out of a copy
      "@typescript-eslint/no-unused-vars": ["error", {
        argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true,
      }],
      // `interface X extends Y {}` names a mapped or merged type (the resource classes, core/transport/api-error.ts)
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      // passing on a reason as it came (an AbortSignal's reason, a caught error) is how a rejection is forwarded
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // async marks functions that implement Promise-returning interfaces (Pulumi's dynamic provider hooks, fakes in
      // tests): a throw becomes a rejection, which is what their callers handle
      "@typescript-eslint/require-await": "off",
      // `import x = require()` is how a module that `export =`s is imported (a resource class takes its handle so)
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
    },
  },
  {
    // short functions in the package's code: none over 80 lines, signature to closing brace, blank lines and comments
    // included (test/structure.test.ts runs this rule on its own, with the import rules of .dependency-cruiser.cjs)
    files: ["provider/**/*.ts", "emulator/**/*.ts"],
    rules: { "max-lines-per-function": ["error", { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }] },
  },
  {
    // the provider class and the lookups load on first use, so that a program and a preview never load the HTTP stack
    files: ["provider/index.ts", "provider/handle.ts", "provider/attachment-handle.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // the class and an interface of the same name merge on purpose: the fields are declared once, by the interface
    files: ["provider/connection/resource.ts", "provider/attachment/resource.ts", "provider/core/transport/api-error.ts"],
    rules: { "@typescript-eslint/no-unsafe-declaration-merging": "off" },
  },
  {
    // tests read the wire's JSON as `any` (Reply.body, parsed request logs) and check it against the OpenAPI spec
    // or by assertion: typing every body would restate the spec
    files: ["test/**"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // tests load the package from where it is installed, a path known at run time only
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // examples/{aws,azure,gcp} need their cloud SDKs to type-check (`npm run check:examples` installs them): linted
    // here without type information
    files: ["examples/aws/**", "examples/azure/**", "examples/gcp/**", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // the CommonJS config files (.dependency-cruiser.cjs) run in Node.js
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
