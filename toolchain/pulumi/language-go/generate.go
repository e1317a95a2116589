package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	codegenrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
)

// GeneratePackage writes the Go SDK of a package from its schema: what `pulumi package gen-sdk
// --language go` asks of the Go language host. Pulumi's Go code generator (pkg/v3/codegen/go, the
// one upstream's host uses) writes it; this binds the schema, resolving references to other
// packages through the engine's schema loader, and writes the files.
//
// A local SDK (`--local`) gets a go.mod of its own, so that a program uses it with one `replace`
// line and nothing is published. The generator writes a go.mod only for a package that "supports
// packing", so a local one is generated as such; a published one is generated as its schema says.
func (h *goHost) GeneratePackage(ctx context.Context,
	req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, fmt.Errorf("connecting to the engine's schema loader: %w", err)
	}
	defer loader.Close()

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("the package's schema is not valid JSON: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiagnostics(diags)}, nil
	}
	if req.GetLocal() {
		pkg.SupportPack = true
	}
	files, err := gogen.GeneratePackage("pulumi-language-go", pkg, req.GetLocalDependencies())
	if err != nil {
		return nil, fmt.Errorf("generating the Go SDK of %s: %w", pkg.Name, err)
	}
	for name, content := range req.GetExtraFiles() {
		files[name] = content
	}
	for name, content := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil { //nolint:gosec // source files, read by go build
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiagnostics(diags)}, nil
}

// rpcDiagnostics turns the schema binder's warnings into the engine's diagnostics.
func rpcDiagnostics(diags hcl.Diagnostics) []*codegenrpc.Diagnostic {
	out := make([]*codegenrpc.Diagnostic, 0, len(diags))
	for _, d := range diags {
		severity := codegenrpc.DiagnosticSeverity_DIAG_WARNING
		if d.Severity == hcl.DiagError {
			severity = codegenrpc.DiagnosticSeverity_DIAG_ERROR
		}
		out = append(out, &codegenrpc.Diagnostic{Severity: severity, Summary: d.Summary, Detail: d.Detail})
	}
	return out
}
