// What a failed `pods/log` read means. The API server fetches the log from the node's kubelet
// (https://<InternalIP>:10250/containerLogs/…), so most answers here are the kubelet's, relayed:
// each gets its own message, because each has its own fix. Pure.
import { statusMessage } from '../cluster/api.js';

export function logReadProblem(status: number, body: string, where: { node: string; pod: string; namespace: string }): string {
  const said = statusMessage(body);
  const { node, pod, namespace } = where;
  if (status === 401) {
    return (
      `the API server relayed the kubelet's refusal (401 Unauthorized) when reading the log of ${pod} on node ${node}: ` +
      `the kubelet on ${node} does not accept the API server's client credentials. This is not your kubeconfig: give kube-apiserver ` +
      "--kubelet-client-certificate/--kubelet-client-key signed by the CA in the kubelet's --client-ca-file"
    );
  }
  if (status === 403 && /subresource=|nodes\/proxy|kubelet/i.test(said)) {
    return `the kubelet on ${node} refused the API server (403: ${said}): the API server's kubelet client user needs nodes/proxy (kubeadm's system:kube-apiserver-to-kubelet ClusterRole)`;
  }
  if (status === 403)
    return `RBAC forbids get pods/log in ${namespace} (403 Forbidden: ${said}): grant "get" on "pods/log" in namespace ${namespace}`;
  if (status === 404) {
    const named = /"([^"]+)" not found/.exec(said)?.[1];
    if (named === pod) return `pod ${namespace}/${pod} was deleted before its log could be read (404)`;
    return `node ${node} has no Node object (404: ${said}): the API server cannot reach a kubelet it does not know; is the kubelet on ${node} registered?`;
  }
  if (status === 500 && /connection refused|connect: /i.test(said)) {
    return `the kubelet on ${node} is not answering (500: ${said}): the API server reads pod logs from the kubelet on port 10250; is the kubelet running?`;
  }
  if (status === 500 && /no preferred addresses/i.test(said)) {
    return `node ${node} publishes no address of the kinds the API server uses to reach kubelets (500: ${said}); see --kubelet-preferred-address-types`;
  }
  return `reading the log of ${namespace}/${pod} failed: the API server answered ${status}: ${said}`;
}
