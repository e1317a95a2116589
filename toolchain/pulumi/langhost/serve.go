// Package langhost is what this project's two language hosts (language-nodejs and language-go, each
// its own wrapper module, built by toolchain/build-pulumi.sh) share: the plugin's command line and
// gRPC server, the engine's address from the handshake, the program's directory, and streaming a
// child process's output to the engine. Each host keeps what is its language's own.
package langhost

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Host names a language host for its command line.
type Host struct {
	// Binary is the plugin's executable name, e.g. pulumi-language-go.
	Binary string
	// Language is what it runs, e.g. "Go".
	Language string
	// BuildID is this implementation's revision (PULUMI_LANGUAGE_*_MODULE_VERSION in versions.env).
	BuildID string
}

// Serve answers --version and --help, or else starts the language host's gRPC server, which
// newServer makes from the engine's address and tracing endpoint given on the command line, prints
// its port (the engine reads it from our first line of stdout) and serves until killed.
func (h Host) Serve(newServer func(engineAddress, tracing string) pulumirpc.LanguageRuntimeServer) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "--version", "-version", "version":
			fmt.Printf("%s (fleet-configmap %s)\n", PluginVersion(), h.BuildID)
			return
		case "--help", "-help", "-h", "help":
			fmt.Printf("usage: %s [--tracing URL] [--logtostderr] [-v=N] [ENGINE_ADDRESS]\n", h.Binary)
			fmt.Printf("Pulumi language host for %s (fleet-configmap local build), version %s\n", h.Language, PluginVersion())
			fmt.Println("It is started by the pulumi engine; it prints the port of its gRPC server and serves until killed.")
			return
		}
	}

	server := newServer(parseArgs(os.Args[1:]))
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, server)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: could not start language host RPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "fatal: language host RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

// PluginVersion is the Pulumi version the host was built for (set with -ldflags -X on the SDK's
// version package), with its leading v.
func PluginVersion() string {
	if version.Version != "" {
		return version.Version
	}
	return "v0.0.0-dev"
}

// parseArgs accepts the engine's plugin command line: optional logging/tracing flags followed by
// the engine address as the last positional argument. Unknown flags are ignored.
func parseArgs(args []string) (engineAddress, tracing string) {
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			positional = append(positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "tracing" {
			if !hasValue && i+1 < len(args) {
				i++ // its value is the next argument, not the engine address
				value = args[i]
			}
			tracing = value
		}
	}
	if len(positional) > 0 {
		engineAddress = positional[len(positional)-1]
	}
	return engineAddress, tracing
}

// Runtime is what every language host answers alike, for a host to embed: Unimplemented for what
// it does not do, the handshake, which gives the engine's address (first from the command line),
// and its version.
type Runtime struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu      sync.Mutex
	address string
}

// NewRuntime starts from the engine address given on the command line.
func NewRuntime(engineAddress string) Runtime { return Runtime{address: engineAddress} }

// Handshake keeps the address the engine gives, if any.
func (e *Runtime) Handshake(ctx context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if req.GetEngineAddress() != "" {
		e.address = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// Address is the engine's address now.
func (e *Runtime) Address() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.address
}

// GetPluginInfo answers the host's version.
func (e *Runtime) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(PluginVersion(), "v")}, nil
}

// ProgramDir is the program's directory: the one the engine names, else fallback, else ours.
func ProgramDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if fallback != "" {
		return fallback
	}
	wd, _ := os.Getwd()
	return wd
}
