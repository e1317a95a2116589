// Renders docs/bench-scaling.svg from the program-cost results: time against cluster count, ours and
// the hand-written baseline. Vega-Lite does the drawing; this file only says what to draw.
//   node bench/chart.mjs RESULTS.json OUT.svg
import { readFileSync, writeFileSync } from "fs";
import * as vega from "vega";
import * as vl from "vega-lite";

const [resultsFile, out] = process.argv.slice(2);
const rows = JSON.parse(readFileSync(resultsFile, "utf8"));
const spec = vl.compile({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "Program cost under Pulumi mocks: median wall time (min–max bars)",
    width: 480,
    height: 300,
    data: { values: rows },
    layer: [
        {
            mark: { type: "line", point: true },
            encoding: {
                x: { field: "clusters", type: "quantitative", scale: { type: "log" }, title: "clusters (× 10 ConfigMaps + 10 Deployments each)" },
                y: { field: "median", type: "quantitative", scale: { type: "log" }, title: "seconds" },
                color: { field: "variant", type: "nominal", title: null },
            },
        },
        {
            mark: { type: "rule" },
            encoding: {
                x: { field: "clusters", type: "quantitative" },
                y: { field: "min", type: "quantitative" },
                y2: { field: "max" },
                color: { field: "variant", type: "nominal" },
            },
        },
    ],
}).spec;
const view = new vega.View(vega.parse(spec), { renderer: "none" });
writeFileSync(out, await view.toSVG());
