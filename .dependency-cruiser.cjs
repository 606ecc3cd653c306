// The import rules: `npm run lint` runs `depcruise` with this file, and test/structure.test.ts runs it again (over
// the repository, and over fixtures that break each kind of rule). Paths are relative to the folder it runs in.
const path = require("node:path");

/**
 * The provider's layers, as docs/architecture.md draws them: core/ serves every resource kind and imports none; a
 * kind's folder imports core/ and the handles at the top (its resource class hands one to the engine), never another
 * kind and never index.ts; index.ts and the handles at the top import the kinds. A create flows one way: kind → core.
 */
const KINDS = ["connection", "attachment"];
const TOP = "^provider/(?:index|handle|attachment-handle)\\.ts$";
const KNOWN = ["^provider/core/", ...KINDS.map((kind) => `^provider/${kind}/`), TOP];

const layerRules = [
  {
    name: "provider-core-not-to-kinds",
    comment: "provider/core/ serves every kind and imports none of them, nor the top (docs/architecture.md)",
    severity: "error",
    from: { path: "^provider/core/" },
    to: { path: [...KINDS.map((kind) => `^provider/${kind}/`), TOP] },
  },
  ...KINDS.map((kind) => ({
    name: `provider-${kind}-not-to-other-kinds`,
    comment: `provider/${kind}/ imports core/ and itself, never another kind nor index.ts (docs/architecture.md)`,
    severity: "error",
    from: { path: `^provider/${kind}/` },
    to: { path: [...KINDS.filter((other) => other !== kind).map((other) => `^provider/${other}/`), "^provider/index\\.ts$"] },
  })),
];

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import cycle in provider/ or emulator/, type-only imports and re-exports included",
      severity: "error",
      from: { path: "^(?:provider|emulator)/" },
      to: { circular: true },
    },
    {
      name: "provider-layer-unknown",
      comment: "every provider/ module is in core/, a kind's folder, or one of the top modules (index.ts, the handles)",
      severity: "error",
      from: { path: "^provider/", pathNot: KNOWN },
      to: {},
    },
    ...layerRules,
    {
      name: "provider-not-to-repo",
      comment: "the package's provider stands alone: no import of the emulator, tests, tools or examples",
      severity: "error",
      from: { path: "^provider/" },
      to: { path: "^(?:emulator|test|chaos|bench|model|scripts|examples)/" },
    },
    {
      name: "emulator-not-to-repo",
      comment: "the emulator shares no code with the provider, and imports no test, tool or example",
      severity: "error",
      from: { path: "^emulator/" },
      to: { path: "^(?:provider|test|chaos|bench|model|scripts|examples)/" },
    },
    {
      name: "emulator-server-control-apart",
      comment: "the emulator's API (server.ts) and its test control (control.ts) share context.ts; neither imports the other",
      severity: "error",
      from: { path: "^emulator/(?:server|control)\\.ts$" },
      to: { path: "^emulator/(?:server|control)\\.ts$" },
    },
    {
      name: "not-to-dev-dep",
      comment:
        "provider/ and emulator/ are published: what they import (types included, the declarations ship too) is a "
        + "dependency, not a devDependency",
      severity: "error",
      from: { path: "^(?:provider|emulator)/" },
      to: { dependencyTypes: ["npm-dev"], pathNot: "node_modules/@types/" },
    },
    {
      name: "no-orphans",
      comment: "a module nothing imports and that imports nothing is dead, or a file to delete",
      severity: "error",
      from: { orphan: true, pathNot: ["\\.d\\.ts$", "(?:^|/)\\.[^/]+\\.(?:c|m)?js$", "\\.config\\.(?:c|m)?js$"] },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      comment: "an import that resolves to no file",
      severity: "error",
      // the per-cloud examples import their cloud SDKs, which `npm run check:examples` installs into them
      from: { pathNot: "^examples/(?:aws|azure|gcp)/" },
      to: { couldNotResolve: true },
    },
    {
      name: "no-non-package-json",
      comment: "a package imported but not declared in package.json",
      severity: "error",
      from: { pathNot: "^(?:test/engine|bench)/fixtures/" },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "no-deprecated-core",
      comment: "a deprecated Node.js core module",
      severity: "error",
      from: {},
      to: { dependencyTypes: ["core"], path: "^(?:punycode|domain|constants|sys|_linklist|_stream_wrap)$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // what `npm run check:examples` installs into the examples is not the repository's code
    exclude: { path: "^examples/[^/]+/node_modules/" },
    // type-only imports and re-exports are edges too
    tsPreCompilationDeps: true,
    // the type-checked sources (fixtures included) and their path aliases: the package's own name, its emulator
    tsConfig: { fileName: path.join(__dirname, "tsconfig.eslint.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["types", "require", "node", "default"],
      extensions: [".ts", ".d.ts", ".js", ".json"],
    },
    skipAnalysisNotInRules: true,
  },
};
