// pulumi-language-go (fleet-configmap local build).
//
// The upstream language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3), which the Go module proxy reachable
// from our machines does not serve at any version. This is a small, independent implementation
// of the same gRPC contract (pulumirpc.LanguageRuntime) on top of the published
// github.com/pulumi/pulumi/sdk/v3 module, pinned to the CLI version, like our
// pulumi-language-nodejs. It does what the engine needs to run a Go program: report the resource
// plugins that the program's Go modules declare (a pulumi-plugin.json in the module), build the
// program with `go build` into an output kept between runs (program-cache.go), or run the
// prebuilt binary that runtime.options.binary names, and run it with the engine's settings in the
// environment variables the Go SDK reads; download the program's modules; and generate a package's
// Go SDK from its schema for `pulumi package gen-sdk` (generate.go). Everything else answers
// Unimplemented, which the engine treats as "not supported by this language host".
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"fleet-configmap/toolchain/pulumi/langhost"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"
)

// Exit code that the Go SDK's pulumi.Run uses after it has already sent the program's error to the
// engine as a diagnostic (constant.ExitStatusLoggedError): the engine must not print it again.
const exitCodeUserErrorReported = 32

// The environment variables the Go SDK (sdk/v3/go/pulumi, run.go) reads its RunInfo from. Their
// names are spelled out rather than imported from that package, which would link the whole SDK
// (and its OpenTelemetry exporters) into this host for eleven strings.
const (
	envOrganization     = "PULUMI_ORGANIZATION"
	envProject          = "PULUMI_PROJECT"
	envRootDirectory    = "PULUMI_ROOT_DIRECTORY"
	envStack            = "PULUMI_STACK"
	envConfig           = "PULUMI_CONFIG"
	envConfigSecretKeys = "PULUMI_CONFIG_SECRET_KEYS"
	envParallel         = "PULUMI_PARALLEL"
	envDryRun           = "PULUMI_DRY_RUN"
	envMonitor          = "PULUMI_MONITOR"
	envEngine           = "PULUMI_ENGINE"
	// Set, it makes pulumi.Run print the registered packages and exit instead of running the
	// program; one inherited from the engine's environment must not reach the program.
	envPlugins = "PULUMI_PLUGINS"
)

// buildID identifies this implementation's revision (PULUMI_LANGUAGE_GO_MODULE_VERSION in
// toolchain/versions.env); set with -ldflags "-X main.buildID=...".
var buildID = "dev"

func main() {
	// The Go SDK reads no tracing address of its own (it traces only through TRACEPARENT and
	// PULUMI_OTEL_EXPORTER_OTLP_ENDPOINT, which the engine puts in our environment and the program
	// inherits), so --tracing is not passed on.
	langhost.Host{Binary: "pulumi-language-go", Language: "Go", BuildID: buildID}.Serve(
		func(engineAddress, _ string) pulumirpc.LanguageRuntimeServer {
			return &goHost{Runtime: langhost.NewRuntime(engineAddress)}
		})
}

type goHost struct {
	langhost.Runtime // Unimplemented for the rest, Handshake, GetPluginInfo and the engine's address
}

// goCommand returns `go ARGS...` run in dir. The environment is ours, unchanged, so GOFLAGS,
// GOCACHE, GOMODCACHE, GOPROXY and GOWORK set by the user apply to the program as to any go command.
func goCommand(ctx context.Context, dir string, args ...string) (*exec.Cmd, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("could not find go on the $PATH: %w", err)
	}
	cmd := exec.CommandContext(ctx, gobin, args...)
	cmd.Dir = dir
	return cmd, nil
}

// ---- the program's modules ------------------------------------------------------------

// goModule is the part of `go list -m -json` and `go mod download -json` output we use.
type goModule struct {
	Path     string
	Version  string
	Dir      string
	Main     bool
	Indirect bool
	Replace  *goModule
}

// goModFile is the part of `go mod edit -json` output we use: the go.mod as written, with no
// module loading (so it works offline and before anything is downloaded).
type goModFile struct {
	Require []struct {
		Path     string
		Version  string
		Indirect bool
	}
	Replace []struct {
		Old struct{ Path string }
		New struct{ Path, Version string }
	}
}

func readGoMod(ctx context.Context, dir string) (*goModFile, error) {
	cmd, err := goCommand(ctx, dir, "mod", "edit", "-json")
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod edit -json in %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	var mod goModFile
	if err := json.Unmarshal(out, &mod); err != nil {
		return nil, fmt.Errorf("go mod edit -json in %s: %w", dir, err)
	}
	return &mod, nil
}

// decodeModules runs cmd and decodes its stream of JSON module objects. When the command fails it
// returns the error and also the modules it did print (`go mod download -json` reports each
// module, and exits non-zero if any one of them failed).
func decodeModules(cmd *exec.Cmd) ([]goModule, error) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var mods []goModule
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m goModule
		if err := dec.Decode(&m); err != nil {
			return mods, fmt.Errorf("%s: %w", strings.Join(cmd.Args, " "), err)
		}
		mods = append(mods, m)
	}
	if runErr != nil {
		return mods, fmt.Errorf("%s: %w: %s", strings.Join(cmd.Args, " "), runErr, strings.TrimSpace(stderr.String()))
	}
	return mods, nil
}

// requiredModules returns the modules that the program's go.mod requires, resolved by `go list -m
// -e -json all` (selected version, replacement, directory in the module cache; -e: a module it
// cannot resolve is reported with its error instead of failing the list), each with a directory: a
// required module not in the module cache yet is downloaded.
//
// Only modules the go.mod names are kept, not all of `go list -m all`: since Go 1.17 a go.mod lists
// every module that provides a package to the build, whereas `all` also holds modules that only the
// dependencies' go.mod files mention, whose plugins the program never uses (the engine would try
// to install them). In vendor mode (a vendor/ directory) the list is made from go.mod and vendor/
// alone, as `go list -m all` refuses to run there and nothing may be downloaded.
func requiredModules(ctx context.Context, dir string) ([]goModule, error) {
	gomod, err := readGoMod(ctx, dir)
	if err != nil {
		return nil, err
	}
	wanted := map[string]bool{}
	for _, r := range gomod.Require {
		wanted[r.Path] = true
	}
	if len(wanted) == 0 {
		return nil, nil
	}

	if root, ok := vendorRoot(ctx, dir); ok {
		var mods []goModule
		for _, r := range gomod.Require {
			d := filepath.Join(root, "vendor", filepath.FromSlash(r.Path))
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				mods = append(mods, goModule{Path: r.Path, Version: r.Version, Dir: d, Indirect: r.Indirect})
			}
		}
		return mods, nil
	}

	cmd, err := goCommand(ctx, dir, "list", "-m", "-e", "-json", "all")
	if err != nil {
		return nil, err
	}
	all, err := decodeModules(cmd)
	if err != nil {
		return nil, err
	}
	var mods []goModule
	var missing []string
	for _, m := range all {
		if m.Main || !wanted[m.Path] {
			continue
		}
		if m.Replace != nil {
			// A replacement's directory and version are the ones built; a local-path replacement
			// has a directory and no version.
			if m.Replace.Dir != "" {
				m.Dir = m.Replace.Dir
			}
			m.Version = m.Replace.Version
		}
		if m.Dir == "" {
			missing = append(missing, m.Path)
		}
		mods = append(mods, m)
	}
	if len(missing) > 0 {
		// `go list -m` never downloads a module's files, only its go.mod; the program's first
		// preview may come before its first build.
		cmd, err := goCommand(ctx, dir, append([]string{"mod", "download", "-json"}, missing...)...)
		if err != nil {
			return nil, err
		}
		// A module that cannot be downloaded only loses its plugin; `go build` will say why.
		downloaded, _ := decodeModules(cmd)
		dirs := map[string]string{}
		for _, d := range downloaded {
			dirs[d.Path] = d.Dir
		}
		for i := range mods {
			if mods[i].Dir == "" {
				mods[i].Dir = dirs[mods[i].Path]
			}
		}
	}
	return mods, nil
}

// vendorRoot reports whether the main module of dir builds from a vendor directory, and the
// module's root.
func vendorRoot(ctx context.Context, dir string) (string, bool) {
	cmd, err := goCommand(ctx, dir, "env", "GOMOD")
	if err != nil {
		return "", false
	}
	out, err := cmd.Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", false
	}
	root := filepath.Dir(gomod)
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err != nil {
		return "", false
	}
	// -mod=mod or -mod=readonly in GOFLAGS turns vendor mode off.
	if strings.Contains(os.Getenv("GOFLAGS"), "-mod=mod") || strings.Contains(os.Getenv("GOFLAGS"), "-mod=readonly") {
		return "", false
	}
	return root, true
}

// pulumiPluginJSON is a Go SDK's pulumi-plugin.json (plugin.PulumiPluginJSON upstream).
type pulumiPluginJSON struct {
	Resource                  bool                    `json:"resource"`
	Name                      string                  `json:"name"`
	Version                   string                  `json:"version"`
	Server                    string                  `json:"server"`
	Parameterization          *pulumiParameterization `json:"parameterization"`
	ExtensionParameterization *pulumiParameterization `json:"extensionParameterization"`
}

type pulumiParameterization struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Value   []byte `json:"value"` // base64 in the file
}

func (p *pulumiParameterization) proto() *pulumirpc.PackageParameterization {
	if p == nil {
		return nil
	}
	return &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
}

// readPluginJSON finds a module's pulumi-plugin.json where generated Go SDKs put it: at the module
// root, in go/, or in the directory of one of its packages one level below either (pulumi-kubernetes'
// sdk/v4 has it at go/kubernetes/pulumi-plugin.json). The first found wins, as upstream.
func readPluginJSON(moduleDir string) (*pulumiPluginJSON, error) {
	paths := []string{
		filepath.Join(moduleDir, "pulumi-plugin.json"),
		filepath.Join(moduleDir, "go", "pulumi-plugin.json"),
	}
	for _, pattern := range []string{
		filepath.Join(moduleDir, "go", "*", "pulumi-plugin.json"),
		filepath.Join(moduleDir, "*", "pulumi-plugin.json"),
	} {
		found, _ := filepath.Glob(pattern) // only ErrBadPattern, and these are fixed
		sort.Strings(found)
		paths = append(paths, found...)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, err
		}
		var info pulumiPluginJSON
		if err := json.Unmarshal(b, &info); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		return &info, nil
	}
	return nil, nil
}

// A Go pseudo-version (vX.Y.Z-[pre.]0.yyyymmddhhmmss-abcdef123456) names a commit, not a release.
var pseudoVersion = regexp.MustCompile(`^v(\d+)\.(\d+)\.(\d+)-(?:[0-9A-Za-z.-]*\.)?\d{14}-[0-9a-f]{12}$`)

// pluginVersionOf turns a module version into the plugin version the engine can install: build
// metadata ("+incompatible") dropped, and a pseudo-version mapped to the release it follows
// (vX.Y.(Z-1), Go bumps the patch of the last tag), as upstream does.
func pluginVersionOf(v string) (string, error) {
	v, _, _ = strings.Cut(v, "+")
	if v == "" {
		return "", errors.New("no version")
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	if m := pseudoVersion.FindStringSubmatch(v); m != nil {
		major, minor, patch := m[1], m[2], m[3]
		if major == "0" && minor == "0" && patch == "0" {
			return "", fmt.Errorf("pseudo-version %s follows no release", v)
		}
		p, _ := strconv.Atoi(patch)
		if p > 0 {
			p--
		}
		return fmt.Sprintf("v%s.%s.%d", major, minor, p), nil
	}
	return v, nil
}

// packageOf returns the plugin a module declares, or nil if it declares none (or one we cannot
// name a version for: a local-path module without a version in its pulumi-plugin.json, which the
// project declares in Pulumi.yaml `packages:` for the engine to resolve).
func packageOf(m goModule) *pulumirpc.PackageDependency {
	if m.Dir == "" {
		return nil
	}
	info, err := readPluginJSON(m.Dir)
	if err != nil || info == nil || !info.Resource {
		return nil
	}
	name := info.Name
	if name == "" {
		// github.com/pulumi/pulumi-aws/sdk/v6 => aws, as upstream derives it.
		parts := strings.Split(m.Path, "/")
		if len(parts) < 3 {
			return nil
		}
		_, name, _ = strings.Cut(parts[2], "-")
		if name == "" {
			return nil
		}
	}
	v := m.Version
	if info.Version != "" {
		v = info.Version
	}
	v, err = pluginVersionOf(v)
	if err != nil {
		return nil
	}
	return &pulumirpc.PackageDependency{
		Kind:             "resource",
		Name:             name,
		Version:          v,
		Server:           info.Server,
		Parameterization: info.Parameterization.proto(),
		Extension:        info.ExtensionParameterization.proto(),
	}
}

// findPackages returns the resource plugins of the modules the program in dir requires. Like
// upstream it is lenient: a program whose modules cannot be listed (no go.mod, a go.sum missing
// entries) reports none, and `go build` then says what is wrong, with the compiler's own words.
func findPackages(ctx context.Context, dir string) []*pulumirpc.PackageDependency {
	mods, err := requiredModules(ctx, dir)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var deps []*pulumirpc.PackageDependency
	for _, m := range mods {
		dep := packageOf(m)
		if dep == nil {
			continue
		}
		key := dep.Name + "@" + dep.Version
		if dep.Parameterization != nil {
			key += "/" + dep.Parameterization.Name + "@" + dep.Parameterization.Version
		}
		if !seen[key] {
			seen[key] = true
			deps = append(deps, dep)
		}
	}
	sort.Slice(deps, func(i, j int) bool {
		if deps[i].Name != deps[j].Name {
			return deps[i].Name < deps[j].Name
		}
		return deps[i].Version < deps[j].Version
	})
	return deps
}

func (h *goHost) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{
		Packages: findPackages(ctx, langhost.ProgramDir(req.GetInfo(), "")),
	}, nil
}

func (h *goHost) GetRequiredPlugins(ctx context.Context,
	req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	deps := findPackages(ctx, langhost.ProgramDir(req.GetInfo(), req.GetPwd()))
	plugins := make([]*pulumirpc.PluginDependency, 0, len(deps))
	for _, d := range deps {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: d.Name, Kind: d.Kind, Version: d.Version, Server: d.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// GetProgramDependencies lists the modules the program's go.mod requires (the direct ones unless
// transitive dependencies are asked for), for `pulumi about`. A module replaced by a local path
// has no version.
func (h *goHost) GetProgramDependencies(ctx context.Context,
	req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	gomod, err := readGoMod(ctx, langhost.ProgramDir(req.GetInfo(), req.GetPwd()))
	if err != nil {
		return nil, err
	}
	local := map[string]bool{}
	for _, r := range gomod.Replace {
		if r.New.Version == "" {
			local[r.Old.Path] = true
		}
	}
	var deps []*pulumirpc.DependencyInfo
	for _, r := range gomod.Require {
		if r.Indirect && !req.GetTransitiveDependencies() {
			continue
		}
		v := r.Version
		if local[r.Path] {
			v = ""
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: r.Path, Version: v})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// About names the go command that builds programs, for `pulumi about`.
func (h *goHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("could not find go on the $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, gobin, "version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s version: %w", gobin, err)
	}
	return &pulumirpc.AboutResponse{Executable: gobin, Version: strings.TrimSpace(string(out))}, nil
}

// ---- run ------------------------------------------------------------------------------

func optionString(opts *structpb.Struct, key string) (string, bool, error) {
	if opts == nil {
		return "", false, nil
	}
	v, ok := opts.GetFields()[key]
	if !ok {
		return "", false, nil
	}
	s, ok := v.GetKind().(*structpb.Value_StringValue)
	if !ok {
		return "", false, fmt.Errorf("runtime option %q must be a string", key)
	}
	return s.StringValue, true, nil
}

// findBinary resolves runtime.options.binary: a path (relative ones to the program directory,
// which is where upstream, run in that directory, looks first), else a name on $PATH.
func findBinary(dir, binary string) (string, error) {
	p := binary
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if st, err := os.Stat(p); err == nil && !st.IsDir() {
		return p, nil
	}
	if strings.ContainsRune(binary, filepath.Separator) {
		return "", fmt.Errorf("runtime.options.binary %q: %s does not exist", binary, p)
	}
	found, err := exec.LookPath(binary)
	if err != nil {
		return "", fmt.Errorf("runtime.options.binary %q is neither in %s nor on the $PATH", binary, dir)
	}
	return found, nil
}

// logEphemeral shows msg in the engine's progress display (it goes away when the step ends), as
// upstream announces the compile step; best effort, a program must run even if this fails.
func (h *goHost) logEphemeral(ctx context.Context, msg string) {
	addr := h.Address()
	if addr == "" {
		return
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		rpcutil.GrpcChannelOptions())
	if err != nil {
		return
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, _ = pulumirpc.NewEngineClient(conn).Log(ctx, &pulumirpc.LogRequest{
		Severity: pulumirpc.LogSeverity_INFO, Message: msg, Ephemeral: true,
	})
}

// compile builds the Go program in dir into out. Its failure is the go command's own output
// (compiler errors with file:line), collected rather than streamed so that the engine shows it once,
// as the run's error, and not also as loose stderr lines before it.
func compile(ctx context.Context, dir, out string) error {
	// -buildvcs=false: a program inside a repository the go command cannot query (another owner, a
	// worktree of a missing git) would otherwise fail to build only for the version stamp.
	cmd, err := goCommand(ctx, dir, "build", "-buildvcs=false", "-o", out, ".")
	if err != nil {
		return err
	}
	output, err := cmd.CombinedOutput()
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return fmt.Errorf("could not run go build: %w", err)
		}
		text := strings.TrimSpace(string(output))
		if text == "" {
			text = exitErr.String()
		}
		return fmt.Errorf("the Go program in %s does not compile (go build):\n%s", dir, text)
	}
	// `go build -o` of a package that is not `main` writes an archive, not a program.
	if st, err := os.Stat(out); err != nil || st.Mode()&0o111 == 0 {
		return fmt.Errorf("go build in %s made no executable; is the program's package `main`?", dir)
	}
	return nil
}

// programEnv is our environment plus the engine's settings for this run, in the variables the Go
// SDK's pulumi.Run reads. Every one is set, even empty, so that none leaks in from our own
// environment. The engine's loader and mapper addresses have no Go SDK reader and are not passed.
func (h *goHost) programEnv(req *pulumirpc.RunRequest) ([]string, error) {
	config := req.GetConfig()
	if config == nil {
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
	env := make([]string, 0, len(os.Environ())+10)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envPlugins+"=") {
			env = append(env, kv)
		}
	}
	// exec.Cmd keeps the last of duplicate variables, so these win over inherited ones.
	return append(env,
		envOrganization+"="+req.GetOrganization(),
		envProject+"="+req.GetProject(),
		envRootDirectory+"="+req.GetInfo().GetRootDirectory(),
		envStack+"="+req.GetStack(),
		envConfig+"="+string(configJSON),
		envConfigSecretKeys+"="+string(secretKeysJSON),
		envDryRun+"="+strconv.FormatBool(req.GetDryRun()),
		envParallel+"="+strconv.Itoa(int(req.GetParallel())),
		envMonitor+"="+req.GetMonitorAddress(),
		envEngine+"="+h.Address(),
	), nil
}

func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := langhost.ProgramDir(info, req.GetPwd())
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = dir
	}
	opts := info.GetOptions()
	binary, _, err := optionString(opts, "binary")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	buildTarget, _, err := optionString(opts, "buildTarget")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if binary != "" && buildTarget != "" {
		return &pulumirpc.RunResponse{Error: "runtime options binary and buildTarget cannot both be set"}, nil
	}
	env, err := h.programEnv(req)
	if err != nil {
		return nil, err
	}

	var program string
	switch {
	case binary != "":
		// A prebuilt program: the user builds it, we only run it.
		if program, err = findBinary(dir, binary); err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
	case buildTarget != "":
		// The program is built where the user asked, and kept there.
		program = buildTarget
		if !filepath.IsAbs(program) {
			program = filepath.Join(dir, program)
		}
	}
	if binary == "" {
		// Without a buildTarget, the program is built into its cached output (see builtProgram).
		var built *builtProgram
		if buildTarget == "" {
			if built, err = lockBuild(dir); err != nil {
				return nil, err
			}
			defer built.release()
			program = built.output()
		}
		h.logEphemeral(ctx, "Compiling the program ...")
		if err := compile(ctx, dir, program); err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		h.logEphemeral(ctx, "") // the compile is over; the row's status goes back to the program's
		if built != nil {
			if program, err = built.forRun(); err != nil {
				return nil, err
			}
			defer os.Remove(program)
		}
	}

	cmd := exec.CommandContext(ctx, program, req.GetArgs()...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	// On cancellation the program gets an interrupt first, to let it finish its RPCs with the
	// engine, and is killed if it has not stopped within a few seconds.
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitCodeUserErrorReported {
				// pulumi.Run has sent the program's error to the engine already.
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			if exitErr.ExitCode() < 0 {
				return &pulumirpc.RunResponse{Error: "program was stopped: " + exitErr.String()}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run %s: %v", program, err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// ---- install dependencies -------------------------------------------------------------

// InstallDependencies downloads the modules the program's go.mod and go.sum pin. It does not run
// `go mod tidy` (upstream does): that rewrites the user's go.mod and go.sum, and reaches for newer
// modules than the ones pinned.
func (h *goHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := langhost.ProgramDir(req.GetInfo(), req.GetDirectory())
	send := langhost.Serialised(server.Send)
	stdout := langhost.StreamTo[*pulumirpc.InstallDependenciesResponse]{Send: send, Wrap: func(b []byte) *pulumirpc.InstallDependenciesResponse {
		return &pulumirpc.InstallDependenciesResponse{Stdout: b}
	}}
	stderr := langhost.StreamTo[*pulumirpc.InstallDependenciesResponse]{Send: send, Wrap: func(b []byte) *pulumirpc.InstallDependenciesResponse {
		return &pulumirpc.InstallDependenciesResponse{Stderr: b}
	}}
	cmd, err := goCommand(server.Context(), dir, "mod", "download")
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	_, _ = io.WriteString(stdout, "go mod download (in "+dir+")\n")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go mod download failed in %s: %w", dir, err)
	}
	return nil
}
