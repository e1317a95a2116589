import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const FIXTURE = path.resolve(__dirname, "typed/typed-args.ts");
const DIRECTIVE = "// @ts-expect-error";

/** Compiles the fixture with its `@ts-expect-error` directives blanked out, and returns the error lines (1-based) and messages. */
function compileWithoutDirectives(): Map<number, string> {
    const source = fs.readFileSync(FIXTURE, "utf8").split("\n").map((line) => (line.trim().startsWith(DIRECTIVE) ? "" : line)).join("\n");
    const config = ts.getParsedCommandLineOfConfigFile(path.resolve(__dirname, "../../tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile;
    host.readFile = (file) => (path.resolve(file) === FIXTURE ? source : readFile(file));
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (file, lang, onError) =>
        path.resolve(file) === FIXTURE ? ts.createSourceFile(file, source, lang) : getSourceFile(file, lang, onError);
    const program = ts.createProgram([FIXTURE], { ...config.options, noEmit: true }, host);
    const errors = new Map<number, string>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
        assert.ok(d.file && path.resolve(d.file.fileName) === FIXTURE, `unexpected error elsewhere: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        const line = d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;
        errors.set(line, `${errors.get(line) ?? ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n`);
    }
    return errors;
}

describe("typed FleetConfigMap arguments (compile-time)", function () {
    this.timeout(120_000);

    it("are a compile error exactly on each line marked @ts-expect-error, and nowhere else", () => {
        const lines = fs.readFileSync(FIXTURE, "utf8").split("\n");
        const marked = lines.flatMap((line, i) => (line.trim().startsWith(DIRECTIVE) ? [i + 2] : []));
        assert.ok(marked.length >= 10, `the fixture marks ${marked.length} wrong uses`);
        const errors = compileWithoutDirectives();
        assert.deepStrictEqual([...errors.keys()].sort((a, b) => a - b), marked, [...errors.entries()].map(([l, m]) => `${l}: ${m}`).join("\n"));

        // Each error is for the reason its comment gives.
        const reason = (needle: string) => errors.get(lines.findIndex((l) => l.includes(needle)) + 2) ?? "";
        assert.match(reason("LOG_LEVLE is not a key of the schema\n".trim()), /LOG_LEVLE/);
        assert.match(reason("PORT is a number, not a string"), /'string' is not assignable to type '(Input<number>|number)/);
        assert.match(reason('"verbose" is not one of'), /"verbose"/);
        assert.match(reason("hostname is not a field of db"), /hostname/);
        assert.match(reason("host is required, so a patch cannot delete it"), /null/);
        assert.match(reason("PORT is required, so it cannot be removed"), /"PORT"/);
        assert.match(reason("without a schema, values are strings"), /number/);
    });
});
