/*
 * lib/model/keys.c - the field names Kubernetes objects use most, stored once.
 *
 * A map entry whose key is one of these points into this table instead of
 * holding its own copy (tree.h, K8SMIG__F_STATIC_KEY): about a fifth of a
 * Deployment's arena, and no copy when parsing or building. Found through a
 * small open-addressing hash table built once; indexes are only meaningful
 * inside one build of the library (objects are never shared across builds).
 */
#include <pthread.h>
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
#define SLOTS 1024 /* power of two, well above N_KEYS: short probe chains */

/* slot -> index + 1 (0 = empty), filled once */
static uint16_t slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static void fill_slots(void)
{
	size_t i;
	for (i = 0; i < N_KEYS; i++) {
		uint32_t s = k8smig__fnv1a(K8SMIG__FNV_OFFSET, k8smig__static_keys[i], strlen(k8smig__static_keys[i])) & (SLOTS - 1);
		while (slots[s])
			s = (s + 1) & (SLOTS - 1);
		slots[s] = (uint16_t)(i + 1);
	}
}

int k8smig__static_key_find(const char *key, size_t len)
{
	uint32_t s;
	pthread_once(&slots_once, fill_slots);
	for (s = k8smig__fnv1a(K8SMIG__FNV_OFFSET, key, len) & (SLOTS - 1); slots[s]; s = (s + 1) & (SLOTS - 1)) {
		const char *k = k8smig__static_keys[slots[s] - 1];
		if (k[0] == key[0] && strncmp(k, key, len) == 0 && k[len] == '\0')
			return slots[s] - 1;
	}
	return -1;
}
