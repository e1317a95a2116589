import { Fleet } from "../../lib";

/** The fleet most unit tests use: three clusters in two regions, each given by a kubeconfig. */
export function threeClusterFleet(name = "prod"): Fleet {
    return new Fleet(name, {
        clusters: [
            { name: "us-east-1", region: "us", kubeconfig: "us" },
            { name: "eu-west-1", region: "eu", kubeconfig: "eu" },
            { name: "eu-central-1", region: "eu", kubeconfig: "eu2" },
        ],
    });
}
