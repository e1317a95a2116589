// schemagen is the build-time step that upstream runs as `go generate` (VERSION=x.y.z) in
// provider/cmd/pulumi-resource-kubernetes: it writes schema-embed.json (schema.json with the
// package version filled in) and terraform-mapping-embed.json (terraform-mapping.json
// re-serialized compactly), which the provider binary embeds.
//
// usage: schemagen SRC_DIR OUT_DIR VERSION
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "schemagen: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: schemagen SRC_DIR OUT_DIR VERSION")
	}
	src, out, version := os.Args[1], os.Args[2], os.Args[3]

	raw, err := os.ReadFile(filepath.Join(src, "schema.json"))
	if err != nil {
		fail("%v", err)
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		fail("parsing schema.json: %v", err)
	}
	spec.Version = version
	versioned, err := json.Marshal(spec)
	if err != nil {
		fail("serializing schema: %v", err)
	}
	if err := os.WriteFile(filepath.Join(out, "schema-embed.json"), versioned, 0o644); err != nil {
		fail("%v", err)
	}

	raw, err = os.ReadFile(filepath.Join(src, "terraform-mapping.json"))
	if err != nil {
		fail("%v", err)
	}
	var mapping any
	if err := json.Unmarshal(raw, &mapping); err != nil {
		fail("parsing terraform-mapping.json: %v", err)
	}
	compact, err := json.Marshal(mapping)
	if err != nil {
		fail("serializing terraform mapping: %v", err)
	}
	if err := os.WriteFile(filepath.Join(out, "terraform-mapping-embed.json"), compact, 0o644); err != nil {
		fail("%v", err)
	}
}
