// FleetConfigMap for Pulumi programs in any language: one ConfigMap declared once, fanned out to a fleet of clusters with per-region and per-cluster overrides, and a content hash per cluster for the workloads that read it.
package fleetconfigmap
