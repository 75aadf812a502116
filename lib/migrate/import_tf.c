/*
 * lib/migrate/import_tf.c - `terraform show -json` (a state, or a plan's
 * planned_values) into the inputs the ECS mapping reads.
 *
 * Resources are read from values.root_module and every child_modules entry,
 * depth first, in the file's order. Each ECS resource becomes the document
 * the AWS CLI would print for it (container_definitions, a JSON string in
 * the state, is parsed), with the resource's address as its path prefix, so
 * errors and report entries read "module.ecs.aws_ecs_task_definition.api.
 * containerDefinitions[0].cpu". Facts only Terraform has (listener rules,
 * the ALB's health check and scheme, log retention, alarms, secret names)
 * go to imp->tf for the mapping to use.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "import.h"

/*
 * Texts below are error messages, report lines and spec paths of bounded parts (JSON paths of at most
 * 512 bytes, names checked for length before use); GCC cannot see those bounds.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

typedef struct tf {
	k8smig_import *imp;
	const char *file;
	k8smig_object *facts;
	k8smig_object *rules;  /* [{tg, priority, patterns[], source}] */
	k8smig_object *tgs;    /* target group arn -> ECS service name */
	int depth;
} tf;

static int fail(const tf *t, const char *path, const char *fmt, ...) K8SMIG__PRINTF(3, 4);
static int fail(const tf *t, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return k8smig__imp_fail(t->file, path, "%s", msg);
}

static const k8smig_value *first_block(const k8smig_value *v, const char *key)
{
	const k8smig_value *b = k8smig_value_lookup(v, key);
	if (k8smig_value_type(b) == K8SMIG_TYPE_LIST)
		b = k8smig_value_first(b);
	return k8smig_value_type(b) == K8SMIG_TYPE_MAP ? b : NULL;
}

static const char *str(const k8smig_value *v, const char *key)
{
	return k8smig_value_str(k8smig_value_lookup(v, key));
}

/* copy a field when present (any type), under a new name */
static int copy(k8smig_object *o, const char *dst, const k8smig_value *v, const char *key)
{
	const k8smig_value *x = k8smig_value_lookup(v, key);
	if (!x || k8smig_value_type(x) == K8SMIG_TYPE_NULL)
		return 0;
	return k8smig_object_set_value(o, dst, x);
}

static int task_definition(tf *t, const k8smig_value *vals, const char *addr, const char *path)
{
	k8smig_parse_options po = K8SMIG_PARSE_OPTIONS_INIT;
	k8smig_object_list *docs = NULL;
	k8smig_object *o = NULL;
	const k8smig_value *cd = k8smig_value_lookup(vals, "container_definitions"), *vol, *it;
	char p[200], where[600];
	size_t k = 0;
	int rc;

	snprintf(where, sizeof(where), "%s.values.container_definitions", path);
	if (!cd || k8smig_value_type(cd) != K8SMIG_TYPE_STRING)
		return fail(t, where, "must be a string holding the container definitions' JSON (%s)", addr);
	/* a JSON list: wrap it so the parser sees one object */
	{
		k8smig__buf b = { 0 };
		if (k8smig__buf_puts(&b, "{\"containerDefinitions\":") < 0 ||
		    k8smig__buf_put(&b, k8smig_value_str(cd), k8smig_value_strlen(cd)) < 0 || k8smig__buf_puts(&b, "\n}") < 0) {
			k8smig__buf_free(&b);
			return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
		}
		po.format = K8SMIG_FORMAT_JSON;
		po.source_name = t->file;
		rc = k8smig_parse(&docs, b.data, b.len, &po);
		k8smig__buf_free(&b);
		if (rc < 0) {
			const k8smig_error *e = k8smig_error_last();
			char msg[400];
			snprintf(msg, sizeof(msg), "%s", e->message);
			return rc == K8SMIG_ENOMEM ? rc
			                           : fail(t, where, "is not valid JSON (in the string, line %d column %d: %s)",
			                                  e->line, e->line == 1 && e->column > 24 ? e->column - 24 : e->column, msg);
		}
	}
	if (k8smig_object_list_size(docs) != 1 ||
	    k8smig_value_type(k8smig_object_get(k8smig_object_list_get(docs, 0), "containerDefinitions")) != K8SMIG_TYPE_LIST) {
		k8smig_object_list_free(docs);
		return fail(t, where, "must hold a JSON list of container definitions");
	}
	if ((rc = k8smig_object_dup(&o, k8smig_object_list_get(docs, 0))) < 0) {
		k8smig_object_list_free(docs);
		return rc;
	}
	k8smig_object_list_free(docs);
	for (it = k8smig_value_first(k8smig_object_get(o, "containerDefinitions")); it; it = k8smig_value_next(it), k++)
		if (k8smig_value_type(it) != K8SMIG_TYPE_MAP) {
			k8smig_object_free(o);
			snprintf(p, sizeof(p), "[%zu]", k);
			return fail(t, where, "item %s is not an object", p);
		}
	if ((rc = copy(o, "family", vals, "family")) < 0 || (rc = copy(o, "taskDefinitionArn", vals, "arn")) < 0 ||
	    (rc = copy(o, "cpu", vals, "cpu")) < 0 || (rc = copy(o, "memory", vals, "memory")) < 0 ||
	    (rc = copy(o, "taskRoleArn", vals, "task_role_arn")) < 0 ||
	    (rc = copy(o, "executionRoleArn", vals, "execution_role_arn")) < 0 ||
	    (rc = copy(o, "requiresCompatibilities", vals, "requires_compatibilities")) < 0 ||
	    (rc = copy(o, "networkMode", vals, "network_mode")) < 0)
		goto done;
	k = 0;
	for (vol = k8smig_value_first(k8smig_value_lookup(vals, "volume")); vol; vol = k8smig_value_next(vol), k++) {
		const k8smig_value *efs = first_block(vol, "efs_volume_configuration"), *auth;
		snprintf(p, sizeof(p), "volumes[%zu].name", k);
		if ((rc = copy(o, p, vol, "name")) < 0)
			goto done;
		if (!efs) {
			snprintf(p, sizeof(p), "volumes[%zu].host", k);
			if ((rc = k8smig_object_set_map(o, p)) < 0)
				goto done;
			continue;
		}
		snprintf(p, sizeof(p), "volumes[%zu].efsVolumeConfiguration.fileSystemId", k);
		if ((rc = copy(o, p, efs, "file_system_id")) < 0)
			goto done;
		snprintf(p, sizeof(p), "volumes[%zu].efsVolumeConfiguration.rootDirectory", k);
		if ((rc = copy(o, p, efs, "root_directory")) < 0)
			goto done;
		snprintf(p, sizeof(p), "volumes[%zu].efsVolumeConfiguration.transitEncryption", k);
		if ((rc = copy(o, p, efs, "transit_encryption")) < 0)
			goto done;
		if ((auth = first_block(efs, "authorization_config"))) {
			snprintf(p, sizeof(p), "volumes[%zu].efsVolumeConfiguration.authorizationConfig.accessPointId", k);
			if ((rc = copy(o, p, auth, "access_point_id")) < 0)
				goto done;
		}
	}
	rc = k8smig__imp_add_doc(t->imp, K8SMIG_IMPORT_TASK_DEFINITION, o, t->file, addr);
	o = NULL;
done:
	k8smig_object_free(o);
	return rc;
}

/* Each service, target and policy is an input of its own whose path prefix is the resource's address. */
static int add_resource_doc(tf *t, k8smig_import_kind kind, k8smig_object **o, const char *addr)
{
	int rc = k8smig__imp_add_doc(t->imp, kind, *o, t->file, addr);
	*o = NULL;
	return rc;
}

static int service_fields(tf *t, k8smig_object *o, const k8smig_value *vals, const char *addr);

static int service(tf *t, const k8smig_value *vals, const char *addr)
{
	k8smig_object *o = NULL;
	int rc;

	if ((rc = k8smig_object_new(&o, NULL, NULL)) < 0 || (rc = k8smig_object_append_map(NULL, o, "services")) < 0 ||
	    (rc = service_fields(t, o, vals, addr)) < 0) {
		k8smig_object_free(o);
		return rc;
	}
	return add_resource_doc(t, K8SMIG_IMPORT_SERVICES, &o, addr);
}

static int service_fields(tf *t, k8smig_object *o, const k8smig_value *vals, const char *addr)
{
	const k8smig_value *it;
	size_t i = 0, k = 0;
	char p[200];
	int rc;

#define C(dst, key)                                                     \
	do {                                                            \
		snprintf(p, sizeof(p), "services[%zu].%s", i, dst);    \
		if ((rc = copy(o, p, vals, key)) < 0)                   \
			return rc;                                      \
	} while (0)
	C("serviceName", "name");
	C("taskDefinition", "task_definition");
	C("desiredCount", "desired_count");
	C("launchType", "launch_type");
	C("clusterArn", "cluster");
	C("healthCheckGracePeriodSeconds", "health_check_grace_period_seconds");
#undef C
	(void)addr;
	if (first_block(vals, "network_configuration")) {
		snprintf(p, sizeof(p), "services[%zu].networkConfiguration", i);
		if ((rc = k8smig_object_set_map(o, p)) < 0)
			return rc;
	}
	for (it = k8smig_value_first(k8smig_value_lookup(vals, "load_balancer")); it; it = k8smig_value_next(it), k++) {
		const char *tg = str(it, "target_group_arn"), *name = str(vals, "name");
		snprintf(p, sizeof(p), "services[%zu].loadBalancers[%zu].containerPort", i, k);
		if ((rc = copy(o, p, it, "container_port")) < 0)
			return rc;
		snprintf(p, sizeof(p), "services[%zu].loadBalancers[%zu].targetGroupArn", i, k);
		if ((rc = copy(o, p, it, "target_group_arn")) < 0)
			return rc;
		if (tg && name && !strchr(tg, ']')) {
			snprintf(p, sizeof(p), "[%s]", tg);
			if ((rc = k8smig_object_set_str(t->tgs, p, name)) < 0)
				return rc;
		}
	}
	return 0;
}

static int scaling_fields(k8smig_object *o, const k8smig_value *vals, bool target);

static int scaling(tf *t, const k8smig_value *vals, bool target, const char *addr)
{
	k8smig_object *o = NULL;
	int rc;

	if ((rc = k8smig_object_new(&o, NULL, NULL)) < 0 ||
	    (rc = k8smig_object_append_map(NULL, o, target ? "ScalableTargets" : "ScalingPolicies")) < 0 ||
	    (rc = scaling_fields(o, vals, target)) < 0) {
		k8smig_object_free(o);
		return rc;
	}
	return add_resource_doc(t, target ? K8SMIG_IMPORT_SCALABLE_TARGETS : K8SMIG_IMPORT_SCALING_POLICIES, &o, addr);
}

static int scaling_fields(k8smig_object *o, const k8smig_value *vals, bool target)
{
	const char *list = target ? "ScalableTargets" : "ScalingPolicies";
	const k8smig_value *tt, *pm;
	size_t i = 0;
	char p[240];
	int rc;

#define C(dst, v, key)                                                  \
	do {                                                            \
		snprintf(p, sizeof(p), "%s[%zu].%s", list, i, dst);    \
		if ((rc = copy(o, p, v, key)) < 0)                      \
			return rc;                                      \
	} while (0)
	C("ResourceId", vals, "resource_id");
	C("ServiceNamespace", vals, "service_namespace");
	C("ScalableDimension", vals, "scalable_dimension");
	if (target) {
		C("MinCapacity", vals, "min_capacity");
		C("MaxCapacity", vals, "max_capacity");
		return 0;
	}
	C("PolicyName", vals, "name");
	C("PolicyType", vals, "policy_type");
	if ((tt = first_block(vals, "target_tracking_scaling_policy_configuration"))) {
		C("TargetTrackingScalingPolicyConfiguration.TargetValue", tt, "target_value");
		C("TargetTrackingScalingPolicyConfiguration.ScaleInCooldown", tt, "scale_in_cooldown");
		C("TargetTrackingScalingPolicyConfiguration.ScaleOutCooldown", tt, "scale_out_cooldown");
		if ((pm = first_block(tt, "predefined_metric_specification")))
			C("TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType", pm,
			  "predefined_metric_type");
	}
	if (first_block(vals, "step_scaling_policy_configuration")) {
		snprintf(p, sizeof(p), "%s[%zu].StepScalingPolicyConfiguration", list, i);
		if ((rc = k8smig_object_set_map(o, p)) < 0)
			return rc;
	}
#undef C
	return 0;
}

static int listener_rule(tf *t, const k8smig_value *vals, const char *addr)
{
	const k8smig_value *act = first_block(vals, "action"), *cond;
	size_t i;
	char p[200];
	int rc;

	if (!act || !str(act, "target_group_arn"))
		return 0;
	if ((rc = k8smig_object_append_map(&i, t->rules, "rules")) < 0)
		return rc;
	snprintf(p, sizeof(p), "rules[%zu].tg", i);
	if ((rc = k8smig_object_set_str(t->rules, p, str(act, "target_group_arn"))) < 0)
		return rc;
	snprintf(p, sizeof(p), "rules[%zu].priority", i);
	if ((rc = k8smig_object_set_int(t->rules, p, k8smig_value_int(k8smig_value_lookup(vals, "priority")))) < 0)
		return rc;
	snprintf(p, sizeof(p), "rules[%zu].address", i);
	if ((rc = k8smig_object_set_str(t->rules, p, addr)) < 0)
		return rc;
	snprintf(p, sizeof(p), "rules[%zu].patterns", i);
	if ((rc = k8smig_object_set_list(t->rules, p)) < 0)
		return rc;
	for (cond = k8smig_value_first(k8smig_value_lookup(vals, "condition")); cond; cond = k8smig_value_next(cond)) {
		const k8smig_value *pp = first_block(cond, "path_pattern"), *v;
		for (v = k8smig_value_first(k8smig_value_lookup(pp, "values")); v; v = k8smig_value_next(v))
			if (k8smig_value_str(v) && (rc = k8smig_object_append_str(NULL, t->rules, p, k8smig_value_str(v))) < 0)
				return rc;
	}
	return 0;
}

static int fact_entry(tf *t, const char *addr, const char *field, const char *target, const char *fmt, ...)
	K8SMIG__PRINTF(5, 6);
static int fact_entry(tf *t, const char *addr, const char *field, const char *target, const char *fmt, ...)
{
	char src[600], note[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	snprintf(src, sizeof(src), "%s:%s.%s", t->file, addr, field);
	return k8smig__imp_entry(t->imp, NULL, IMP_MAPPED, src, target, "%s", note);
}

static int resource(tf *t, const k8smig_value *r, const char *path)
{
	const char *type = str(r, "type"), *addr = str(r, "address"), *mode = str(r, "mode");
	const k8smig_value *vals = k8smig_value_lookup(r, "values");
	char p[300];
	int rc = 0;

	if (!type || !addr)
		return fail(t, path, "a resource needs type and address");
	if (mode && strcmp(mode, "managed") != 0)
		return 0;
	if (k8smig_value_type(vals) != K8SMIG_TYPE_MAP) {
		snprintf(p, sizeof(p), "%s.values", path);
		return fail(t, p, "must be an object (%s)", addr);
	}
	if (strcmp(type, "aws_ecs_task_definition") == 0)
		return task_definition(t, vals, addr, path);
	if (strcmp(type, "aws_ecs_service") == 0)
		return service(t, vals, addr);
	if (strcmp(type, "aws_appautoscaling_target") == 0)
		return scaling(t, vals, true, addr);
	if (strcmp(type, "aws_appautoscaling_policy") == 0)
		return scaling(t, vals, false, addr);
	if (strcmp(type, "aws_lb_listener_rule") == 0)
		return listener_rule(t, vals, addr);
	if (strcmp(type, "aws_lb_target_group") == 0) {
		const k8smig_value *hc = first_block(vals, "health_check");
		const char *hp = str(hc, "path");
		if (hp && !k8smig_object_has(t->facts, "healthcheckPath")) {
			TRY(k8smig_object_set_str(t->facts, "healthcheckPath", hp));
			TRY(fact_entry(t, addr, "health_check.path", "ingress.healthcheckPath -> Ingress annotation", "%s", hp));
		}
		{
			/* deregistration_delay: a string in the AWS provider ("300", its default), an integer in older states */
			const k8smig_value *dd = k8smig_value_lookup(vals, "deregistration_delay");
			int64_t d = -1;
			char *end;
			if (k8smig_value_type(dd) == K8SMIG_TYPE_INT)
				d = k8smig_value_int(dd);
			else if (k8smig_value_str(dd) && k8smig_value_str(dd)[0])
				d = strtoll(k8smig_value_str(dd), &end, 10), d = *end ? -1 : d;
			if (dd && k8smig_value_type(dd) != K8SMIG_TYPE_NULL && (d < 0 || d > 3600)) {
				snprintf(p, sizeof(p), "%s.values.deregistration_delay", path);
				return fail(t, p, "must be a number of seconds between 0 and 3600 (%s)", addr);
			}
			/* one Ingress, one attribute for every target group: the longest */
			if (d >= 0 && (!k8smig_object_has(t->facts, "deregistrationDelay") ||
			               d > k8smig_object_get_int(t->facts, "deregistrationDelay"))) {
				TRY(k8smig_object_set_int(t->facts, "deregistrationDelay", d));
				TRY(fact_entry(t, addr, "deregistration_delay",
				               "ingress.deregistrationDelaySeconds -> Ingress target-group-attributes", "%llds", (long long)d));
			}
		}
		return 0;
	}
	if (strcmp(type, "aws_lb") == 0) {
		const k8smig_value *in = k8smig_value_lookup(vals, "internal");
		if (k8smig_value_type(in) == K8SMIG_TYPE_BOOL) {
			TRY(k8smig_object_set_str(t->facts, "scheme", k8smig_value_bool(in) ? "internal" : "internet-facing"));
			TRY(fact_entry(t, addr, "internal", "ingress.scheme -> Ingress annotation", "%s",
			               k8smig_value_bool(in) ? "internal" : "internet-facing"));
		}
		return 0;
	}
	if (strcmp(type, "aws_cloudwatch_log_group") == 0) {
		const k8smig_value *d = k8smig_value_lookup(vals, "retention_in_days");
		int64_t days = k8smig_value_int(d), old = k8smig_object_get_int(t->facts, "retentionDays");
		if (k8smig_value_type(d) == K8SMIG_TYPE_INT && days > old) {
			TRY(k8smig_object_set_int(t->facts, "retentionDays", days));
			TRY(fact_entry(t, addr, "retention_in_days", "logging.retentionDays", "%lld days%s", (long long)days,
			               old ? " (the longest of the groups)" : ""));
		}
		return 0;
	}
	if (strcmp(type, "aws_cloudwatch_metric_alarm") == 0) {
		const char *metric = str(vals, "metric_name");
		const k8smig_value *th = k8smig_value_lookup(vals, "threshold"), *acts = k8smig_value_lookup(vals, "alarm_actions");
		const char *key = !metric ? NULL
		                  : strcmp(metric, "CPUUtilization") == 0 ? "alarmCpu"
		                  : strcmp(metric, "MemoryUtilization") == 0 ? "alarmMemory"
		                  : strcmp(metric, "RunningTaskCount") == 0 ? "alarmMinPods" : NULL;
		if (key && th && !k8smig_object_has(t->facts, key)) {
			double v = k8smig_value_double(th);
			TRY(k8smig_object_set_int(t->facts, key, (int64_t)llround(v)));
			TRY(fact_entry(t, addr, "threshold",
			               strcmp(key, "alarmCpu") == 0 ? "alarms.cpuPercent" : strcmp(key, "alarmMemory") == 0
			                                                                      ? "alarms.memoryPercent" : "alarms.minPods",
			               "%s %g", metric, v));
		}
		if (k8smig_value_str(k8smig_value_first(acts)) && !k8smig_object_has(t->facts, "snsTopicArn")) {
			TRY(k8smig_object_set_str(t->facts, "snsTopicArn", k8smig_value_str(k8smig_value_first(acts))));
			TRY(fact_entry(t, addr, "alarm_actions", "alarms.snsTopicArn", "%s", ""));
		}
		return 0;
	}
	if (strcmp(type, "aws_secretsmanager_secret") == 0) {
		const char *arn = str(vals, "arn"), *name = str(vals, "name");
		if (arn && name && !strchr(arn, ']')) {
			snprintf(p, sizeof(p), "secretNames[%s]", arn);
			TRY(k8smig_object_set_str(t->facts, p, name));
		}
		return 0;
	}
fail:
	return rc;
}

static int walk(tf *t, const k8smig_value *mod, const char *path)
{
	const k8smig_value *list, *it;
	char p[600];
	size_t k = 0;
	int rc;

	if (++t->depth > 32)
		return fail(t, path, "modules nested deeper than 32");
	if (k8smig_value_type(mod) != K8SMIG_TYPE_MAP)
		return fail(t, path, "must be an object");
	list = k8smig_value_lookup(mod, "resources");
	if (list && k8smig_value_type(list) != K8SMIG_TYPE_LIST) {
		snprintf(p, sizeof(p), "%s.resources", path);
		return fail(t, p, "must be a list");
	}
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), k++) {
		snprintf(p, sizeof(p), "%s.resources[%zu]", path, k);
		if (k8smig_value_type(it) != K8SMIG_TYPE_MAP)
			return fail(t, p, "must be an object");
		if ((rc = resource(t, it, p)) < 0)
			return rc;
	}
	list = k8smig_value_lookup(mod, "child_modules");
	if (list && k8smig_value_type(list) != K8SMIG_TYPE_LIST) {
		snprintf(p, sizeof(p), "%s.child_modules", path);
		return fail(t, p, "must be a list");
	}
	k = 0;
	for (it = k8smig_value_first(list); it; it = k8smig_value_next(it), k++) {
		snprintf(p, sizeof(p), "%s.child_modules[%zu]", path, k);
		if ((rc = walk(t, it, p)) < 0)
			return rc;
	}
	t->depth--;
	return 0;
}

typedef struct rule_ref {
	const k8smig_value *v;
	int64_t priority;
	size_t index;
} rule_ref;

static int cmp_rule(const void *a, const void *b)
{
	const rule_ref *x = a, *y = b;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* listener rules in priority order -> routes per ECS service */
static int routes(tf *t)
{
	const k8smig_value *rules = k8smig_object_get(t->rules, "rules"), *it, *pat;
	size_t n = k8smig_value_size(rules), i = 0;
	rule_ref *rs;
	int rc = 0;

	if (!n)
		return 0;
	if (!(rs = calloc(n, sizeof(*rs))))
		return k8smig__error_set(K8SMIG_ENOMEM, "", "out of memory");
	for (it = k8smig_value_first(rules); it; it = k8smig_value_next(it), i++) {
		rs[i].v = it;
		rs[i].priority = k8smig_value_int(k8smig_value_lookup(it, "priority"));
		rs[i].index = i;
	}
	qsort(rs, n, sizeof(*rs), cmp_rule);
	for (i = 0; i < n; i++) {
		const char *tg = str(rs[i].v, "tg"), *svc, *addr = str(rs[i].v, "address");
		char p[300], path[300], src[600];
		snprintf(p, sizeof(p), "[%s]", tg);
		if (!(svc = k8smig_object_get_str(t->tgs, p))) {
			snprintf(src, sizeof(src), "%s:%s.action", t->file, addr);
			TRY(k8smig__imp_entry(t->imp, NULL, IMP_DROPPED, src, NULL, "forwards to a target group no ECS service uses"));
			continue;
		}
		for (pat = k8smig_value_first(k8smig_value_lookup(rs[i].v, "patterns")); pat; pat = k8smig_value_next(pat)) {
			const char *s = k8smig_value_str(pat), *star = strpbrk(s, "*?");
			const char *type = "Exact";
			size_t j, len = strlen(s);
			if (star) {
				type = "Prefix";
				len = (size_t)(star - s);
				while (len > 1 && s[len - 1] == '/')
					len--;
				if (!len)
					len = 1; /* "*" */
			}
			if (len >= sizeof(path) - 1)
				continue;
			snprintf(path, sizeof(path), "%s%.*s", s[0] == '/' ? "" : "/", (int)len, s);
			snprintf(p, sizeof(p), "routes[%s]", svc);
			TRY(k8smig_object_append_map(&j, t->facts, p));
			snprintf(p, sizeof(p), "routes[%s][%zu].path", svc, j);
			TRY(k8smig_object_set_str(t->facts, p, path));
			snprintf(p, sizeof(p), "routes[%s][%zu].pathType", svc, j);
			TRY(k8smig_object_set_str(t->facts, p, type));
			snprintf(p, sizeof(p), "routes[%s][%zu].pattern", svc, j);
			TRY(k8smig_object_set_str(t->facts, p, s));
			snprintf(p, sizeof(p), "routes[%s][%zu].source", svc, j);
			snprintf(src, sizeof(src), "%s:%s.condition.path_pattern.values", t->file, addr);
			TRY(k8smig_object_set_str(t->facts, p, src));
		}
	}
fail:
	free(rs);
	return rc;
}

int k8smig__imp_terraform(k8smig_import *imp, k8smig_object *doc, const char *source)
{
	tf t = { 0 };
	const k8smig_value *root = k8smig_object_get(doc, NULL), *vals;
	const char *where = "values";
	size_t n_inputs = imp->n_inputs, n_entries = imp->n_entries;
	int rc;

	t.imp = imp;
	t.file = source;
	if (imp->tf) {
		k8smig_object_free(doc);
		return k8smig__imp_fail(source, "", "one Terraform state per import");
	}
	vals = k8smig_value_lookup(root, "values");
	if (!vals) {
		vals = k8smig_value_lookup(root, "planned_values");
		where = "planned_values";
	}
	if (!vals || k8smig_value_type(vals) != K8SMIG_TYPE_MAP) {
		k8smig_object_free(doc);
		return k8smig__imp_fail(source, "values",
		                        "is missing or not an object: not terraform show -json output (of a state or a plan)");
	}
	if ((rc = k8smig_object_new(&t.facts, NULL, NULL)) < 0 || (rc = k8smig_object_new(&t.rules, NULL, NULL)) < 0 ||
	    (rc = k8smig_object_set_list(t.rules, "rules")) < 0 || (rc = k8smig_object_new(&t.tgs, NULL, NULL)) < 0)
		goto done;
	{
		char p[64];
		snprintf(p, sizeof(p), "%s.root_module", where);
		const k8smig_value *rm = k8smig_value_lookup(vals, "root_module");
		if (!rm) {
			rc = k8smig__imp_fail(source, p, "is missing");
			goto done;
		}
		if ((rc = walk(&t, rm, p)) < 0)
			goto done;
	}
	if ((rc = routes(&t)) < 0)
		goto done;
	imp->tf = t.facts;
	t.facts = NULL;
done:
	if (rc < 0) { /* nothing of a failed state stays in the import */
		while (imp->n_inputs > n_inputs) {
			imp_input *in = &imp->inputs[--imp->n_inputs];
			free(in->source);
			free(in->prefix);
			k8smig_object_free(in->doc);
		}
		while (imp->n_entries > n_entries) {
			imp_entry *e = &imp->entries[--imp->n_entries];
			free(e->service);
			free(e->source);
			free(e->target);
			free(e->note);
		}
	}
	k8smig_object_free(t.facts);
	k8smig_object_free(t.rules);
	k8smig_object_free(t.tgs);
	k8smig_object_free(doc);
	return rc;
}
