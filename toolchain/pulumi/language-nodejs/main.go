// pulumi-language-nodejs (fleet-configmap local build).
//
// The upstream language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which the Go module
// proxy reachable from our machines does not serve at any version. This is a small,
// independent implementation of the same gRPC contract (pulumirpc.LanguageRuntime) on top of
// the published github.com/pulumi/pulumi/sdk/v3 module, pinned to the CLI version. It does
// what the engine needs to run a Node.js/TypeScript program: report the resource plugins the
// program's node_modules declare, run the program through @pulumi/pulumi's own `cmd/run`
// entry point, run a plugin written in TypeScript (a component package with a PulumiPlugin.yaml)
// through its `cmd/run-plugin` entry point, and install dependencies with npm. Everything else
// answers Unimplemented, which the engine treats as "not supported by this language host".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"fleet-configmap/toolchain/pulumi/langhost"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"
)

// Exit code that @pulumi/pulumi's cmd/run uses after it has already shown the user an error.
const exitCodeUserErrorReported = 32

// buildID identifies this implementation's revision (PULUMI_LANGUAGE_NODEJS_MODULE_VERSION in
// toolchain/versions.env); set with -ldflags "-X main.buildID=...".
var buildID = "dev"

func main() {
	langhost.Host{Binary: "pulumi-language-nodejs", Language: "Node.js", BuildID: buildID}.Serve(
		func(engineAddress, tracing string) pulumirpc.LanguageRuntimeServer {
			return &nodeHost{Runtime: langhost.NewRuntime(engineAddress), tracing: tracing}
		})
}

type nodeHost struct {
	langhost.Runtime // Unimplemented for the rest, Handshake, GetPluginInfo and the engine's address

	tracing string
}

// ---- required packages ----------------------------------------------------------------

type pulumiPackageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// findPackages walks node_modules below dir and returns one dependency per (name, version) of
// every package whose package.json says it ships a Pulumi resource plugin.
func findPackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	seen := map[string]*pulumirpc.PackageDependency{}
	var walk func(nodeModules string, depth int) error
	walk = func(nodeModules string, depth int) error {
		if depth > 16 {
			return nil
		}
		entries, err := os.ReadDir(nodeModules)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			var pkgDirs []string
			if strings.HasPrefix(name, "@") {
				scoped, err := os.ReadDir(filepath.Join(nodeModules, name))
				if err != nil {
					continue
				}
				for _, s := range scoped {
					pkgDirs = append(pkgDirs, filepath.Join(nodeModules, name, s.Name()))
				}
			} else {
				pkgDirs = append(pkgDirs, filepath.Join(nodeModules, name))
			}
			for _, pkgDir := range pkgDirs {
				if dep := readPackage(pkgDir); dep != nil {
					seen[dep.Name+"@"+dep.Version] = dep
				}
				if err := walk(filepath.Join(pkgDir, "node_modules"), depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	// node resolves packages from the program directory upwards; do the same.
	for d := dir; ; d = filepath.Dir(d) {
		if err := walk(filepath.Join(d, "node_modules"), 0); err != nil {
			return nil, err
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	deps := make([]*pulumirpc.PackageDependency, 0, len(seen))
	for _, dep := range seen {
		deps = append(deps, dep)
	}
	sort.Slice(deps, func(i, j int) bool {
		if deps[i].Name != deps[j].Name {
			return deps[i].Name < deps[j].Name
		}
		return deps[i].Version < deps[j].Version
	})
	return deps, nil
}

func readPackage(pkgDir string) *pulumirpc.PackageDependency {
	b, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		return nil
	}
	var info pulumiPackageJSON
	if json.Unmarshal(b, &info) != nil || !info.Pulumi.Resource {
		return nil
	}
	name := info.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(info.Name, "@pulumi/")
		name = strings.TrimPrefix(name, "@")
	}
	v := info.Pulumi.Version
	if v == "" {
		v = info.Version
	}
	if name == "" || v == "" {
		return nil
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: v, Server: info.Pulumi.Server}
}

func (h *nodeHost) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	deps, err := findPackages(langhost.ProgramDir(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

func (h *nodeHost) GetRequiredPlugins(ctx context.Context,
	req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	deps, err := findPackages(langhost.ProgramDir(req.GetInfo(), req.GetPwd()))
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(deps))
	for _, d := range deps {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// ---- run ------------------------------------------------------------------------------

func optionString(opts *structpb.Struct, key string) (string, bool) {
	if opts == nil {
		return "", false
	}
	v, ok := opts.GetFields()[key]
	if !ok {
		return "", false
	}
	switch k := v.GetKind().(type) {
	case *structpb.Value_StringValue:
		return k.StringValue, true
	case *structpb.Value_BoolValue:
		return strconv.FormatBool(k.BoolValue), true
	case *structpb.Value_NumberValue:
		return strconv.FormatFloat(k.NumberValue, 'f', -1, 64), true
	}
	return "", false
}

// findRunScript locates @pulumi/pulumi's cmd/run the way node would resolve it from dir.
func findRunScript(dir string) (string, error) {
	if p := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); p != "" {
		return p, nil
	}
	return findSDKScript(dir, "run")
}

// findSDKScript locates @pulumi/pulumi's cmd/<name> the way node would resolve it from dir.
func findSDKScript(dir, name string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "node_modules", "@pulumi", "pulumi", "cmd", name)
		if _, err := os.Stat(filepath.Join(p, "index.js")); err == nil {
			return p, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", fmt.Errorf("could not find @pulumi/pulumi in node_modules above %s; "+
		"have you run `npm install`?", dir)
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	pwd := langhost.ProgramDir(info, req.GetPwd())
	opts := info.GetOptions()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the $PATH: " + err.Error()}, nil
	}
	runPath, err := findRunScript(pwd)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	var args []string
	if nodeargs, ok := optionString(opts, "nodeargs"); ok && nodeargs != "" {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runPath)
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	engineAddress, tracing := h.Address(), h.tracing
	add("monitor", req.GetMonitorAddress())
	add("engine", engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", pwd)
	if info != nil {
		add("root-directory", info.GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	add("tracing", tracing)
	program := "."
	if info != nil && info.GetEntryPoint() != "" {
		program = info.GetEntryPoint()
	} else if req.GetProgram() != "" {
		program = req.GetProgram()
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		// A stack without config must still reach the SDK as {}: it parses PULUMI_CONFIG as an object.
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing config secret keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
	)
	typescript := "true" // upstream default: TypeScript programs are compiled on the fly
	if v, ok := optionString(opts, "typescript"); ok {
		typescript = v
	}
	env = append(env, "PULUMI_NODEJS_TYPESCRIPT="+typescript)
	if v, ok := optionString(opts, "tsconfig"); ok && v != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitCodeUserErrorReported {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: "could not run node: " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// ---- run a plugin ---------------------------------------------------------------------

// RunPlugin runs a plugin whose source is a Node.js program (a PulumiPlugin.yaml with `runtime:
// nodejs`, such as a component package) through @pulumi/pulumi's cmd/run-plugin, which loads the
// program and serves the components it exports. The engine gives the plugin's environment and
// arguments; the plugin's output is streamed back, and its exit code is the last message.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest,
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	info := req.GetInfo()
	dir := langhost.ProgramDir(info, req.GetPwd())
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	runPlugin, err := findSDKScript(dir, "run-plugin")
	if err != nil {
		return err
	}
	program := req.GetProgram() //nolint:staticcheck // the engine still sends it to older hosts
	if info != nil && info.GetEntryPoint() != "" {
		program = info.GetEntryPoint()
	}
	if program == "" {
		program = "."
	}
	if !filepath.IsAbs(program) {
		program = filepath.Join(dir, program)
	}
	var args []string
	if nodeargs, ok := optionString(info.GetOptions(), "nodeargs"); ok && nodeargs != "" {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runPlugin, "--pwd", dir, program)
	args = append(args, req.GetArgs()...)

	send := langhost.Serialised(server.Send)
	cmd := exec.CommandContext(server.Context(), nodeBin, args...)
	cmd.Dir = dir
	// The engine's variables come last, so they win over this host's own.
	cmd.Env = append(os.Environ(), req.GetEnv()...)
	cmd.Stdout = langhost.StreamTo[*pulumirpc.RunPluginResponse]{Send: send, Wrap: func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}}
	cmd.Stderr = langhost.StreamTo[*pulumirpc.RunPluginResponse]{Send: send, Wrap: func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	}}
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return fmt.Errorf("could not run the plugin in %s: %w", dir, err)
		}
		code = int32(exitErr.ExitCode())
	}
	return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// ---- install dependencies -------------------------------------------------------------

func (h *nodeHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := langhost.ProgramDir(req.GetInfo(), req.GetDirectory())
	if !declaresDependencies(dir) {
		// Nothing to install: node resolves every module from the folders above, as for a
		// program or plugin that lives inside a package. Running npm would still write a
		// package-lock.json into that folder.
		return nil
	}
	send := langhost.Serialised(server.Send)
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("could not find npm on the $PATH: %w", err)
	}
	cmd := exec.CommandContext(server.Context(), npm, "install", "--no-audit", "--no-fund")
	cmd.Dir = dir
	cmd.Stdout = langhost.StreamTo[*pulumirpc.InstallDependenciesResponse]{Send: send, Wrap: func(b []byte) *pulumirpc.InstallDependenciesResponse {
		return &pulumirpc.InstallDependenciesResponse{Stdout: b}
	}}
	cmd.Stderr = langhost.StreamTo[*pulumirpc.InstallDependenciesResponse]{Send: send, Wrap: func(b []byte) *pulumirpc.InstallDependenciesResponse {
		return &pulumirpc.InstallDependenciesResponse{Stderr: b}
	}}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm install failed in %s: %w", dir, err)
	}
	return nil
}

// declaresDependencies reports whether dir's package.json lists any dependency (or cannot be
// read, in which case npm is left to report why).
func declaresDependencies(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return true
	}
	var pkg map[string]json.RawMessage
	if err := json.Unmarshal(data, &pkg); err != nil {
		return true
	}
	for _, field := range []string{"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"} {
		var deps map[string]any
		if raw, ok := pkg[field]; ok && json.Unmarshal(raw, &deps) == nil && len(deps) > 0 {
			return true
		}
	}
	return false
}
