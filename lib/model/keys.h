/*
 * lib/model/keys.h - the common field names (keys.c) as one list.
 *
 * K(name) is a name that is also a C identifier; L(id, "text") one that is not.
 * The list gives every name a constant index (K8SMIG__KI_<id>) and length, so a
 * builder that writes a common name (K8SMIG__KEY(spec)) finds nothing at run time,
 * and a name missing from the list fails to compile. Indexes are only meaningful
 * inside one build of the library.
 */
#ifndef K8SMIG_LIB_KEYS_H
#define K8SMIG_LIB_KEYS_H

#define K8SMIG__STATIC_KEY_LIST(K, L) \
	K(accessModes) K(alert) K(annotations) K(apiGroups) K(apiVersion) \
	L(label_component, "app.kubernetes.io/component") L(label_instance, "app.kubernetes.io/instance") \
	L(label_managed_by, "app.kubernetes.io/managed-by") L(label_name, "app.kubernetes.io/name") \
	L(label_part_of, "app.kubernetes.io/part-of") L(label_version, "app.kubernetes.io/version") K(args) K(auth) \
	K(averageUtilization) K(aws) K(backend) K(behavior) K(binaryData) K(capacity) K(claimName) K(clusterIP) \
	K(command) K(configMap) K(configMapKeyRef) K(configMapRef) K(containerPort) K(containers) K(cpu) \
	K(creationPolicy) K(creationTimestamp) K(csi) K(data) K(description) K(driver) K(effect) K(emptyDir) K(env) \
	K(envFrom) K(exec) K(expr) K(failureThreshold) K(fieldPath) K(fieldRef) K(finalizers) K(for) K(fsGroup) \
	K(generation) K(groups) K(grpc) K(host) K(hostPath) K(hosts) K(http) K(httpGet) K(image) K(imagePullPolicy) \
	K(immutable) K(ingressClassName) K(initContainers) K(initialDelaySeconds) K(jwt) K(key) K(kind) K(labels) \
	K(limits) K(livenessProbe) K(matchExpressions) K(matchLabels) K(maxReplicas) K(maxSurge) K(maxUnavailable) K(medium) \
	K(memory) K(metadata) K(metrics) K(minReplicas) K(mountPath) K(name) K(namespace) K(nodePort) \
	K(nodeSelector) K(number) K(operator) K(optional) K(parameters) K(path) K(pathType) K(paths) \
	K(periodSeconds) K(persistentVolumeClaim) K(policies) K(port) K(ports) K(prefix) K(property) K(protocol) \
	K(provider) K(provisioner) K(readOnly) K(readinessProbe) K(reclaimPolicy) K(refreshInterval) K(region) \
	K(remoteRef) K(replicas) K(requests) K(resource) K(resourceVersion) K(resources) K(roleRef) K(rollingUpdate) \
	K(rules) K(runAsGroup) K(runAsNonRoot) K(runAsUser) K(scaleDown) K(scaleTargetRef) K(scaleUp) K(scheme) \
	K(secret) K(secretKeyRef) K(secretName) K(secretRef) K(secretStoreRef) K(securityContext) K(selector) \
	K(service) K(serviceAccount) K(serviceAccountName) K(serviceAccountRef) K(severity) K(spec) \
	K(stabilizationWindowSeconds) K(startupProbe) K(status) K(storage) K(storageClassName) K(strategy) \
	K(stringData) K(subPath) K(subjects) K(successThreshold) K(summary) K(target) K(targetPort) K(tcpSocket) \
	K(template) K(terminationGracePeriodSeconds) K(timeoutSeconds) K(tls) K(tolerations) K(type) K(uid) K(value) \
	K(valueFrom) K(verbs) K(volumeBindingMode) K(volumeHandle) K(volumeMounts) K(volumeName) K(volumes)

#define K8SMIG__KI_K(id) K8SMIG__KI_##id,
#define K8SMIG__KI_L(id, text) K8SMIG__KI_##id,
#define K8SMIG__KL_K(id) K8SMIG__KL_##id = sizeof(#id) - 1,
#define K8SMIG__KL_L(id, text) K8SMIG__KL_##id = sizeof(text) - 1,
enum { K8SMIG__STATIC_KEY_LIST(K8SMIG__KI_K, K8SMIG__KI_L) K8SMIG__STATIC_KEY_COUNT };
enum { K8SMIG__STATIC_KEY_LIST(K8SMIG__KL_K, K8SMIG__KL_L) };
#undef K8SMIG__KI_K
#undef K8SMIG__KI_L
#undef K8SMIG__KL_K
#undef K8SMIG__KL_L

#endif
