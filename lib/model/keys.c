/*
 * lib/model/keys.c - the field names Kubernetes objects use most, stored once.
 *
 * A map entry whose key is one of these points into this table instead of
 * holding its own copy (tree.h, K8SMIG__F_STATIC_KEY): about a fifth of a
 * Deployment's arena, and no copy when parsing or building. Found through a
 * small open-addressing hash table built once; indexes are only meaningful
 * inside one build of the library (objects are never shared across builds).
 * Kubernetes' recommended labels are here too: every generated object carries them, and
 * like every name here they need no JSON escape and are plain in YAML.
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
	"app.kubernetes.io/component",
	"app.kubernetes.io/instance",
	"app.kubernetes.io/managed-by",
	"app.kubernetes.io/name",
	"app.kubernetes.io/part-of",
	"app.kubernetes.io/version",
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
const size_t k8smig__static_key_count = N_KEYS;
#define SLOTS 1024 /* power of two, well above N_KEYS: short probe chains */

/* Length and three characters: enough to spread 159 names over 1024 slots, and it
 * costs the same for any key (this runs for every key parsed or set). */
static uint32_t hash(const char *k, size_t n)
{
	const unsigned char *u = (const unsigned char *)k;
	uint32_t h;
	if (n == 0)
		return 0;
	h = (uint32_t)n * 0x9E3779B1u;
	h ^= ((uint32_t)u[0] << 16 | (uint32_t)u[n - 1] << 8 | (uint32_t)u[n / 2]) * 0x85EBCA6Bu;
	return h ^ (h >> 15);
}

/* slot -> index + 1 (0 = empty), filled once */
static uint16_t slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static size_t min_len = SIZE_MAX, max_len; /* of the names in the table */
uint8_t k8smig__static_key_lens[N_KEYS];
char k8smig__static_keys_padded[N_KEYS][K8SMIG__STATIC_KEY_PAD]; /* NUL-padded: fixed-size copies in the emitters */
char k8smig__static_keys_json[N_KEYS][K8SMIG__STATIC_KEY_PAD];   /* the same as "name": */
#define key_len k8smig__static_key_lens
#define key_padded k8smig__static_keys_padded

static void fill_slots(void)
{
	size_t i;
	for (i = 0; i < N_KEYS; i++) {
		size_t n = strlen(k8smig__static_keys[i]);
		key_len[i] = (uint8_t)n;
		memcpy(key_padded[i], k8smig__static_keys[i], n < K8SMIG__STATIC_KEY_PAD ? n : K8SMIG__STATIC_KEY_PAD - 1);
		if (n + 3 <= K8SMIG__STATIC_KEY_PAD) { /* every name fits (test_model checks them all) */
			k8smig__static_keys_json[i][0] = '"';
			memcpy(k8smig__static_keys_json[i] + 1, k8smig__static_keys[i], n);
			k8smig__static_keys_json[i][n + 1] = '"';
			k8smig__static_keys_json[i][n + 2] = ':';
		}
		min_len = n < min_len ? n : min_len;
		max_len = n > max_len ? n : max_len;
		uint32_t s = hash(k8smig__static_keys[i], n) & (SLOTS - 1);
		while (slots[s])
			s = (s + 1) & (SLOTS - 1);
		slots[s] = (uint16_t)(i + 1);
	}
}

static int slots_ready;

static void fill_once(void)
{
	fill_slots();
	__atomic_store_n(&slots_ready, 1, __ATOMIC_RELEASE);
}

void k8smig__static_keys_ready(void)
{
	if (K8SMIG__UNLIKELY(!__atomic_load_n(&slots_ready, __ATOMIC_ACQUIRE)))
		pthread_once(&slots_once, fill_once);
}

int k8smig__static_key_find(const char *key, size_t len)
{
	uint32_t s;
	/* pthread_once only until the table is built: this runs for every key parsed or set */
	if (K8SMIG__UNLIKELY(!__atomic_load_n(&slots_ready, __ATOMIC_ACQUIRE)))
		pthread_once(&slots_once, fill_once);
	if (len < min_len || len > max_len)
		return -1;
	for (s = hash(key, len) & (SLOTS - 1); slots[s]; s = (s + 1) & (SLOTS - 1)) {
		const char *k = k8smig__static_keys[slots[s] - 1];
		/* lengths first: memcmp may read all len bytes of k */
		if (key_len[slots[s] - 1] == len && k8smig__equal_short(k, key, len)) /* every name is under 32 bytes */
			return slots[s] - 1;
	}
	return -1;
}
