/**
 * The script a child `node` runs to type-check a program once, as ts-node would check it in each stack.
 * It is plain JavaScript in a string so that the child needs no compiler hook of its own, whether the
 * command runs from its compiled files or from source; the child keeps the compiler's few hundred MiB
 * out of the command's own process and off its event loop.
 *
 * argv: the program's directory, its entry file and the tsconfig path (which may not exist). It prints
 * one JSON line: `{ files, errors }`, each error formatted as `file(line,col): error TSnnnn: text`.
 */
export const CHECK_SCRIPT = String.raw`
const fs = require("fs");
const path = require("path");
const [workDir, entry, tsconfig] = process.argv.slice(1);
process.chdir(workDir);
// The ts-node and TypeScript the language host loads: those @pulumi/pulumi resolves.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [workDir] }));
const typescriptPath = require.resolve("typescript", { paths: [pulumiDir] });
const ts = require(typescriptPath);
const tsnode = require(require.resolve("ts-node", { paths: [pulumiDir] }));
// The options ts-node derives (its defaults, or the program's tsconfig), read through ts-node itself.
const service = tsnode.create({ compiler: typescriptPath, project: tsconfig, skipProject: !fs.existsSync(tsconfig), transpileOnly: true, compilerOptions: {} });
const options = { ...service.config.options, noEmit: true };
const ignored = new Set((service.options.ignoreDiagnostics || [6059, 18002, 18003]).map(Number));
const program = ts.createProgram({ rootNames: [entry], options });
// ts-node checks each TypeScript file it loads, outside node_modules, file by file: syntax and types,
// not the options' global diagnostics.
const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(f.fileName));
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => workDir, getNewLine: () => "\n" };
const errors = [];
for (const file of files) {
    for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
        if (d.category === ts.DiagnosticCategory.Error && !ignored.has(d.code)) errors.push(ts.formatDiagnostic(d, host).trim());
    }
}
process.stdout.write(JSON.stringify({ files: files.length, errors }) + "\n");
`;
