/**
 * The entry point of the compiled component package: `npm run build` compiles it to
 * `dist/component/plugin.js` and writes `dist/component/package.json` with it as `main`, beside a
 * `PulumiPlugin.yaml` (runtime nodejs) and the committed `schema.json` (scripts/build-component-package.js).
 * A program in another language names that folder (`packages: fleet-configmap: <path>/dist/component`);
 * the Node.js language host's plugin runner loads this file, and it serves the component.
 *
 * It exports no component class on purpose: the runner would then serve the exports with the SDK's own
 * component provider, which infers the schema with the TypeScript analyzer at every start. Instead this
 * file starts `CompiledComponentProvider` (compiled-provider.ts) over the committed schema.
 *
 * In a checkout whose `lib/` changed since the build, it serves nothing but the refusal
 * (`compiled-build/stale-build.ts`): the engine shows it once, without a stack trace, and nothing is
 * constructed from old code. (Refused at start instead, the engine would report a plugin that "exited
 * prematurely", "always a bug in the provider".)
 */
import { main } from "@pulumi/pulumi/provider";
import { servedFrom } from "./compiled-provider";
import { FleetConfigMap } from "./fleet-config-map";

// The runner leaves the engine's arguments (its address) after the program's in process.argv.
void main(servedFrom(__dirname, { FleetConfigMap }), process.argv.slice(2));
