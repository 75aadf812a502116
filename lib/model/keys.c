/*
 * lib/model/keys.c - the field names Kubernetes objects use most, stored once.
 *
 * A map entry whose key is one of these points into this table instead of
 * holding its own copy (tree.h, K8SMIG__F_STATIC_KEY): about a fifth of a
 * Deployment's arena, and no copy when parsing or building. Sorted for
 * binary search; append-only order does not matter, the table is rebuilt
 * with the library.
 */
#include <string.h>

#include "tree.h"

const char *const k8smig__static_keys[] = {
	"accessModes",
	"alert",
	"annotations",
	"apiGroups",
	"apiVersion",
	"args",
	"auth",
	"averageUtilization",
	"aws",
	"backend",
	"behavior",
	"binaryData",
	"capacity",
	"claimName",
	"clusterIP",
	"command",
	"configMap",
	"configMapKeyRef",
	"configMapRef",
	"containerPort",
	"containers",
	"cpu",
	"creationPolicy",
	"creationTimestamp",
	"csi",
	"data",
	"description",
	"driver",
	"effect",
	"emptyDir",
	"env",
	"envFrom",
	"exec",
	"expr",
	"failureThreshold",
	"fieldPath",
	"fieldRef",
	"finalizers",
	"for",
	"fsGroup",
	"generation",
	"groups",
	"host",
	"hostPath",
	"hosts",
	"http",
	"httpGet",
	"image",
	"imagePullPolicy",
	"immutable",
	"ingressClassName",
	"initContainers",
	"initialDelaySeconds",
	"jwt",
	"key",
	"kind",
	"labels",
	"limits",
	"livenessProbe",
	"matchExpressions",
	"matchLabels",
	"maxReplicas",
	"maxSurge",
	"maxUnavailable",
	"memory",
	"metadata",
	"metrics",
	"minReplicas",
	"mountPath",
	"name",
	"namespace",
	"nodePort",
	"nodeSelector",
	"number",
	"operator",
	"optional",
	"parameters",
	"path",
	"pathType",
	"paths",
	"periodSeconds",
	"persistentVolumeClaim",
	"policies",
	"port",
	"ports",
	"property",
	"protocol",
	"provider",
	"provisioner",
	"readOnly",
	"readinessProbe",
	"reclaimPolicy",
	"refreshInterval",
	"region",
	"remoteRef",
	"replicas",
	"requests",
	"resource",
	"resourceVersion",
	"resources",
	"roleRef",
	"rollingUpdate",
	"rules",
	"runAsGroup",
	"runAsNonRoot",
	"runAsUser",
	"scaleDown",
	"scaleTargetRef",
	"scaleUp",
	"scheme",
	"secret",
	"secretKeyRef",
	"secretName",
	"secretRef",
	"secretStoreRef",
	"securityContext",
	"selector",
	"service",
	"serviceAccount",
	"serviceAccountName",
	"serviceAccountRef",
	"severity",
	"spec",
	"stabilizationWindowSeconds",
	"startupProbe",
	"status",
	"storage",
	"storageClassName",
	"strategy",
	"stringData",
	"subPath",
	"subjects",
	"successThreshold",
	"summary",
	"target",
	"targetPort",
	"tcpSocket",
	"template",
	"terminationGracePeriodSeconds",
	"timeoutSeconds",
	"tls",
	"tolerations",
	"type",
	"uid",
	"value",
	"valueFrom",
	"verbs",
	"volumeBindingMode",
	"volumeHandle",
	"volumeMounts",
	"volumeName",
	"volumes"
};

#define N_KEYS (sizeof(k8smig__static_keys) / sizeof(k8smig__static_keys[0]))

int k8smig__static_key_find(const char *key, size_t len)
{
	size_t lo = 0, hi = N_KEYS;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = k8smig__static_keys[mid];
		int c = strncmp(key, k, len);
		if (c == 0 && k[len] != '\0')
			c = -1; /* key is a proper prefix of k */
		if (c == 0)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}
