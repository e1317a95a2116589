/**
 * Paths a user writes with `~`, in a fleet file or a kubeconfig argument. A file of its own, because
 * both the fleet definition and the cluster-identity check read such paths, and the definition depends
 * (through the Fleet) on the identity check.
 */
import * as os from "os";
import * as path from "path";

/** `file` with a leading `~` made the home directory, as a shell would. */
export function expandHome(file: string): string {
    return file === "~" || file.startsWith("~/") ? path.join(os.homedir(), file.slice(1)) : file;
}
