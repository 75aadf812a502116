/*
 * examples/hello.c - build a Deployment with the object API and print it as YAML.
 *
 *     cc hello.c $(pkg-config --cflags --libs k8smig) -o hello && ./hello
 */
#include <stdio.h>
#include <k8smig.h>

int main(void)
{
	k8smig_object *d = NULL;
	char *yaml = NULL;
	int rc;

	k8smig_object_new(&d, "apps/v1", "Deployment");
	k8smig_object_set_name(d, "orchestrator");
	k8smig_object_set_namespace(d, "layering-detection-dev");
	k8smig_object_set_label(d, "app.kubernetes.io/name", "orchestrator");
	k8smig_object_set_int(d, "spec.replicas", 1);
	k8smig_object_set_str(d, "spec.selector.matchLabels[app.kubernetes.io/name]", "orchestrator");
	k8smig_object_set_str(d, "spec.template.metadata.labels[app.kubernetes.io/name]", "orchestrator");
	k8smig_object_set_str(d, "spec.template.spec.containers[0].name", "app");
	k8smig_object_set_str(d, "spec.template.spec.containers[0].image",
	                      "123456789012.dkr.ecr.us-east-1.amazonaws.com/orchestrator:1.0.0");
	k8smig_object_set_int(d, "spec.template.spec.containers[0].ports[0].containerPort", 8000);

	/* setters are sticky: one check at the end reports the first failure */
	if ((rc = k8smig_object_emit(&yaml, NULL, d, NULL)) < 0) {
		const k8smig_error *e = k8smig_error_last();
		fprintf(stderr, "error: %s (at %s)\n", e->message, e->path);
		k8smig_object_free(d);
		return 1;
	}
	fputs(yaml, stdout);
	k8smig_free(yaml);
	k8smig_object_free(d);
	return 0;
}
