/*
 * tests/unit/test_names.c - lib/model/names.c against the rules of the API
 * server, k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue,
 * IsValidPortName, IsConfigMapKey, IsEnvVarName, IsValidPathSegmentName).
 *
 * The good/bad cases are those of apimachinery's validation_test.go plus the
 * boundaries of each rule. All 296 cases of the label, subdomain, qualified
 * name, label value, port name, config key and path segment rules were also
 * sent to a real kube-apiserver (the test cluster, v1.36) in server-side dry
 * runs (as Namespace names, ConfigMap names, label keys and values, ConfigMap
 * keys, container port names and ClusterRole names): it accepted every good
 * case and rejected every bad one. Not checkable there: DNS-1035 labels and
 * env var names, which that server relaxes (RelaxedServiceNameValidation,
 * RelaxedEnvironmentVariableValidation); the strict rules here are what every
 * supported server accepts.
 *
 * "#63a" in a case stands for 63 'a's (so the boundaries stay readable).
 */
#include <stdlib.h>

#include "helpers.h"
#include "model/kinds.h"
#include "model/names.h"

static char *expand(const char *spec)
{
	size_t cap = strlen(spec) + 1, n = 0;
	char *out;
	const char *p;

	for (p = spec; *p; p++)
		if (*p == '#')
			cap += (size_t)strtoul(p + 1, NULL, 10);
	out = malloc(cap);
	assert_non_null(out);
	for (p = spec; *p;) {
		if (*p == '#') {
			char *end;
			size_t count = (size_t)strtoul(p + 1, &end, 10);
			memset(out + n, *end, count);
			n += count;
			p = end + 1;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

typedef const char *(*rule_fn)(const char *);

static void check(rule_fn rule, const char *what, const char *const *good, const char *const *bad)
{
	for (; *good; good++) {
		char *s = expand(*good);
		const char *why = rule(s);
		if (why)
			fail_msg("%s: \"%s\" must be valid, got: %s", what, *good, why);
		free(s);
	}
	for (; *bad; bad++) {
		char *s = expand(*bad);
		if (!rule(s))
			fail_msg("%s: \"%s\" must be invalid", what, *bad);
		free(s);
	}
	assert_non_null(rule(NULL));
}

#define END NULL

static void test_dns1123_label(void **state)
{
	static const char *const good[] = {
		"a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "#63a", "0-a-9", END
	};
	static const char *const bad[] = {
		"", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_",
		"_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2",
		"#64a", "\xc3\xa9", END
	};
	(void)state;
	check(k8smig__dns1123_label, "DNS-1123 label", good, bad);
	assert_true(k8smig__is_dns1123_label("web"));
	assert_false(k8smig__is_dns1123_label(NULL));
}

static void test_dns1123_subdomain(void **state)
{
	static const char *const good[] = {
		"a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a.a",
		"ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1",
		"a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1",
		"1a.1", "1-a.1", "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55",
		"#253a", "#63a.#63b.#63c.#61d", "#64a", "a.b-c.d", END
	};
	static const char *const bad[] = {
		"", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b",
		"1_", "_1", "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ", "a ", " a", "a b", "1 ", " 1",
		"1 2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A",
		"012.A", "1A.a", "1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b",
		"a,b", "a_b", "a;b", "a:b", "a%b", "a?b", "a$b", "a-.b", "a.-b", "#254a", END
	};
	(void)state;
	check(k8smig__dns1123_subdomain, "DNS-1123 subdomain", good, bad);
}

static void test_dns1035_label(void **state)
{
	static const char *const good[] = { "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "#63a", "web-8080", END };
	static const char *const bad[] = {
		"0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-",
		"-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1",
		"1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "#64a", "8080-web", END
	};
	(void)state;
	check(k8smig__dns1035_label, "DNS-1035 label", good, bad);
}

static void test_qualified_name(void **state)
{
	static const char *const good[] = {
		"simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
		"now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
		"1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123",
		"example.com/Uppercase_Is_OK_123", "requests.storage-foo", "#63a", "#253a/#63b", "a_b.c-d", "app", "app.kubernetes.io/name", "A_b.C-d", END
	};
	static const char *const bad[] = {
		"", "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash",
		"Example.com/abc", "example_com/abc", "example.com/", "/simple", "#64a", "#254a/abc", "a/#64b",
		"_a", "a_", ".a", "a.", "a b", "a/", END
	};
	(void)state;
	check(k8smig__label_key, "qualified name", good, bad);
}

static void test_label_value(void **state)
{
	static const char *const good[] = {
		"simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "#63a", "", "A_b.C-d",
		END
	};
	static const char *const bad[] = {
		"nospecialchars%^=@", "Tama-nui-te-r\xc4\x81.is.M\xc4\x81ori.sun", "\\backslashes\\are\\bad",
		"-starts-with-dash", "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", "#64a", "a/b", "a b",
		END
	};
	(void)state;
	check(k8smig__label_value, "label value", good, bad);
}

static void test_port_name(void **state)
{
	static const char *const good[] = {
		"telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3", "#15a", "http", "metrics-9090", END
	};
	static const char *const bad[] = {
		"longerthan15characters", "", "#16a", "12345", "1-2-3-4", "-begin", "end-", "two--hyphens",
		"whois++", "Http", "a_b", "a.b", "8080", "a--b", "very-long-port-name", END
	};
	(void)state;
	check(k8smig__iana_svc_name, "port name", good, bad);
}

static void test_config_key(void **state)
{
	static const char *const good[] = {
		"a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "A",
		"AB", "AbC", "A1", "-", "a-", "-a", "_", "a_", "_a", "a_b", ".a", "a.", "a.b", ".1", "a..b",
		".a.b", "#253a", "app.yaml", "API_KEY", END
	};
	static const char *const bad[] = {
		"", ".", "..", "..a", "...", "a b", "a/b", "a%b", "a:b", "a@b", "#254a", "..data", END
	};
	(void)state;
	check(k8smig__config_key, "config key", good, bad);
}

static void test_env_var_name(void **state)
{
	static const char *const good[] = {
		"ABC", "AbC_123", "abc", "a.b", "a-b", "_a", "-a", ".a", "a..b", "MY_ENV.NAME", "my.env-name",
		"MyEnvName1", "A_B.c-d", END
	};
	static const char *const bad[] = {
		"", "1ABC", "123", "A B", "a=b", "a:b", "a$b", "a/b", ".", "..", "..a", "1A", "A=B", END
	};
	(void)state;
	check(k8smig__env_var_name, "env var name", good, bad);
}

static void test_path_segment_name(void **state)
{
	static const char *const good[] = { "a", "A B", "a.b", "...", "system:controller", "a..b", "My Role:x", END };
	static const char *const bad[] = { "", ".", "..", "a/b", "a%b", "/", "%", "a%2f", END };
	(void)state;
	check(k8smig__path_segment_name, "path segment name", good, bad);
}

/* IAM's rules for a role ARN (partition, account, path, name), as IRSA uses it */
static void test_iam_role_arn(void **state)
{
	static const char *const good[] = {
		"arn:aws:iam::123456789012:role/web", "arn:aws-cn:iam::123456789012:role/team/app/web+x=y,z.@_-",
		"arn:aws-us-gov:iam::123456789012:role/web", "arn:aws-iso:iam::123456789012:role/web",
		"arn:aws-iso-b:iam::123456789012:role/web", "arn:aws-eusc:iam::123456789012:role/web",
		"arn:aws:iam::123456789012:role/p!a~th/web", "arn:aws:iam::123456789012:role/#64a", END
	};
	static const char *const bad[] = {
		"", "arn:aws:iam::12345678901:role/web", "arn:aws:iam::123456789012:user/web",
		"arn:aws:iam:us-east-1:123456789012:role/web", "arn:aws-eu:iam::123456789012:role/web",
		"arn:aws:s3:::bucket", "arn:aws:iam::123456789012:role/", "arn:aws:iam::123456789012:role/a//web",
		"arn:aws:iam::123456789012:role//web", "arn:aws:iam::123456789012:role/web name",
		"arn:aws:iam::123456789012:role/#65a", "arn:aws:iam::123456789012:role/p th/web", END
	};
	(void)state;
	check(k8smig__iam_role_arn, "IAM role ARN", good, bad);
}

/* metadata.name of a kind: the rule comes from the table of kinds */
static void test_name_rule_per_kind(void **state)
{
	const char *what = NULL;
	(void)state;
	assert_null(k8smig__name_check(k8smig__kind_name_rule("Namespace"), "team-a", &what));
	assert_string_equal(what, "DNS-1123 label");
	assert_non_null(k8smig__name_check(k8smig__kind_name_rule("Namespace"), "team.a", NULL));
	assert_non_null(k8smig__name_check(k8smig__kind_name_rule("StatefulSet"), "db.primary", NULL));
	assert_null(k8smig__name_check(k8smig__kind_name_rule("Deployment"), "web.v2", &what));
	assert_string_equal(what, "DNS-1123 subdomain");
	assert_non_null(k8smig__name_check(k8smig__kind_name_rule("Service"), "1web", &what));
	assert_string_equal(what, "DNS-1035 label");
	assert_null(k8smig__name_check(k8smig__kind_name_rule("ClusterRole"), "system:aggregate-to-view", &what));
	assert_string_equal(what, "path segment name");
	assert_non_null(k8smig__name_check(k8smig__kind_name_rule("RoleBinding"), "a/b", NULL));
	/* unknown kinds (CRDs): subdomain */
	assert_int_equal(k8smig__kind_name_rule("Widget"), K8SMIG__NAME_DNS_SUBDOMAIN);
	assert_int_equal(k8smig__kind_name_rule(NULL), K8SMIG__NAME_DNS_SUBDOMAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns1123_label),
		cmocka_unit_test(test_dns1123_subdomain),
		cmocka_unit_test(test_dns1035_label),
		cmocka_unit_test(test_qualified_name),
		cmocka_unit_test(test_label_value),
		cmocka_unit_test(test_port_name),
		cmocka_unit_test(test_config_key),
		cmocka_unit_test(test_env_var_name),
		cmocka_unit_test(test_path_segment_name),
		cmocka_unit_test(test_iam_role_arn),
		cmocka_unit_test(test_name_rule_per_kind),
	};
	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
