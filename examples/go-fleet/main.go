// FleetConfigMap from a Pulumi Go program, the twin of examples/yaml-fleet: three clusters in two
// regions, one ConfigMap declared once with a regional and a per-cluster override, and in each cluster
// a Deployment that reads the whole map (web) and one that reads only LOG_LEVEL (worker). Each pod
// template carries its cluster's hash from the component's outputs, so `pulumi up` rolls a workload
// exactly when what it reads changes in its cluster.
package main

import (
	"os"
	"path/filepath"

	"example.com/pulumi-fleet-configmap/sdk/go/fleetconfigmap"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// cluster is one cluster of the fleet: its name, its region and the kubeconfig file that reaches it.
type cluster struct {
	name, region, kubeconfigFile string
}

var clusters = []cluster{
	{"us-east-1", "us", "fleet-1.yaml"},
	{"eu-west-1", "eu", "fleet-2.yaml"},
	{"eu-central-1", "eu", "fleet-3.yaml"},
}

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		kubeconfigDir := cfg.Require("kubeconfigDir")
		namespace := orDefault(cfg.Get("namespace"), "go-fleet")
		euAPIURL := orDefault(cfg.Get("euApiUrl"), "https://api.eu.example.com")
		euCentralLogLevel := configString(ctx, cfg, "euCentralLogLevel", "debug")

		// The clusters the workloads go to: one provider each, as any program has its own.
		providers := map[string]*kubernetes.Provider{}
		namespaces := []pulumi.Resource{}
		fleet := []fleetconfigmap.ClusterArgs{}
		for _, c := range clusters {
			text, err := os.ReadFile(filepath.Join(kubeconfigDir, c.kubeconfigFile))
			if err != nil {
				return err
			}
			kubeconfig := pulumi.ToSecret(pulumi.String(string(text))).(pulumi.StringOutput)
			provider, err := kubernetes.NewProvider(ctx, c.name, &kubernetes.ProviderArgs{Kubeconfig: kubeconfig})
			if err != nil {
				return err
			}
			providers[c.name] = provider
			ns, err := corev1.NewNamespace(ctx, "ns-"+c.name, &corev1.NamespaceArgs{
				Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(namespace)},
			}, pulumi.Provider(provider))
			if err != nil {
				return err
			}
			namespaces = append(namespaces, ns)
			fleet = append(fleet, fleetconfigmap.ClusterArgs{Name: c.name, Region: c.region, Kubeconfig: kubeconfig})
		}

		// The ConfigMap, declared once and written to every cluster with its overrides.
		appConfig, err := fleetconfigmap.NewFleetConfigMap(ctx, "app-config", &fleetconfigmap.FleetConfigMapArgs{
			Clusters: fleet,
			Metadata: &fleetconfigmap.MetadataArgs{
				Name:      pulumi.StringRef("app-config"),
				Namespace: pulumi.StringRef(namespace),
				Labels:    map[string]string{"app": "shop"},
			},
			Data: map[string]pulumi.StringInput{
				"LOG_LEVEL": pulumi.String("info"),
				"API_URL":   pulumi.String("https://api.example.com"),
				"FEATURE_X": pulumi.String("on"),
			},
			Overrides: &fleetconfigmap.OverridesArgs{
				Regions: map[string]fleetconfigmap.ConfigPatchArgs{
					"eu": {Data: map[string]pulumi.StringInput{"API_URL": pulumi.String(euAPIURL)}},
				},
				Clusters: map[string]fleetconfigmap.ConfigPatchArgs{
					"eu-central-1": {
						Data:   map[string]pulumi.StringInput{"LOG_LEVEL": euCentralLogLevel},
						Remove: []string{"FEATURE_X"},
					},
				},
			},
			// worker reads only LOG_LEVEL: its annotation hashes that key alone.
			KeySets: map[string][]string{"logLevel": {"LOG_LEVEL"}},
		}, pulumi.DependsOn(namespaces))
		if err != nil {
			return err
		}

		// In each cluster, the workloads; each pod template carries its cluster's hash from the
		// component's outputs, so it rolls when, and only when, what it reads changes there.
		for _, c := range clusters {
			name := appConfig.Names.MapIndex(pulumi.String(c.name))
			web := deployment("web", namespace, 2, "nginx:1.27",
				appConfig.PodAnnotations.MapIndex(pulumi.String(c.name)),
				corev1.ContainerArgs{
					EnvFrom: corev1.EnvFromSourceArray{corev1.EnvFromSourceArgs{
						ConfigMapRef: &corev1.ConfigMapEnvSourceArgs{Name: name},
					}},
				})
			if _, err := appsv1.NewDeployment(ctx, "web-"+c.name, web, pulumi.Provider(providers[c.name])); err != nil {
				return err
			}
			worker := deployment("worker", namespace, 1, "busybox:1.36",
				appConfig.KeySetPodAnnotations.MapIndex(pulumi.String("logLevel")).MapIndex(pulumi.String(c.name)),
				corev1.ContainerArgs{
					Env: corev1.EnvVarArray{corev1.EnvVarArgs{
						Name: pulumi.String("LOG_LEVEL"),
						ValueFrom: &corev1.EnvVarSourceArgs{ConfigMapKeyRef: &corev1.ConfigMapKeySelectorArgs{
							Name: name,
							Key:  pulumi.String("LOG_LEVEL"),
						}},
					}},
				})
			if _, err := appsv1.NewDeployment(ctx, "worker-"+c.name, worker, pulumi.Provider(providers[c.name])); err != nil {
				return err
			}
		}

		// Each cluster's content hash and ConfigMap name. Both come from the component, so a first
		// `pulumi preview` shows them before anything exists.
		ctx.Export("hashes", appConfig.Hashes)
		ctx.Export("configMapNames", appConfig.Names)
		return nil
	})
}

// deployment is the Deployment `app` with one container, whose pod template carries annotations.
func deployment(app, namespace string, replicas int, image string, annotations pulumi.StringMapInput,
	container corev1.ContainerArgs) *appsv1.DeploymentArgs {
	labels := pulumi.StringMap{"app": pulumi.String(app)}
	container.Name = pulumi.String(app)
	container.Image = pulumi.String(image)
	return &appsv1.DeploymentArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(app), Namespace: pulumi.String(namespace)},
		Spec: &appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(replicas),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: labels},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: labels, Annotations: annotations},
				Spec:     &corev1.PodSpecArgs{Containers: corev1.ContainerArray{container}},
			},
		},
	}
}

// orDefault is value, or fallback when value is empty (not set).
func orDefault(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

// configString is the config value key (or fallback), kept a secret when the stack sets it with
// `--secret`: the component then refuses it by name, where a plain string would be written into a
// ConfigMap for anyone to read.
func configString(ctx *pulumi.Context, cfg *config.Config, key, fallback string) pulumi.StringOutput {
	value := pulumi.String(orDefault(cfg.Get(key), fallback)).ToStringOutput()
	if ctx.IsConfigSecret(ctx.Project() + ":" + key) {
		return pulumi.ToSecret(value).(pulumi.StringOutput)
	}
	return value
}
