#!/usr/bin/env node
// The last step of `npm run build`, after tsc has compiled lib/component to dist/component: makes that
// folder a Pulumi component package that serves the compiled JavaScript (lib/component/plugin.ts).
//
//   dist/component/PulumiPlugin.yaml   runtime nodejs: the Node.js language host's plugin runner starts it
//   dist/component/package.json        lib/component/package.json, with the compiled entry as main
//   dist/component/schema.json         lib/component/schema.json, the committed schema it serves
//
// Plain JavaScript so that it runs right after tsc, with nothing to compile, on `npm ci` and a git install too.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const source = path.join(root, "lib", "component");
const target = path.join(root, "dist", "component");
if (!fs.existsSync(path.join(target, "plugin.js"))) throw new Error(`${target}/plugin.js is missing: run tsc first (npm run build does)`);

const manifest = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8"));
fs.writeFileSync(path.join(target, "package.json"), JSON.stringify({ ...manifest, main: "plugin.js" }, null, 2) + "\n");
fs.copyFileSync(path.join(source, "schema.json"), path.join(target, "schema.json"));
fs.writeFileSync(
    path.join(target, "PulumiPlugin.yaml"),
    "# Written by npm run build (scripts/build-component-package.js): the compiled FleetConfigMap component\n" +
        "# package. The Node.js language host runs package.json's main, plugin.js, which serves the component.\n" +
        "runtime: nodejs\n",
);
