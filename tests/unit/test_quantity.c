/*
 * tests/unit/test_quantity.c - lib/core/quantity.c against the behaviour of
 * k8s.io/apimachinery/pkg/api/resource (ParseQuantity, CanonicalizeBytes,
 * Cmp, Value, MilliValue). Expected strings follow quantity.go: canonical
 * form keeps the written family (DecimalSI, BinarySI, DecimalExponent),
 * moves the exponent down to a multiple of 3 (10 for binary), and writes
 * binary values below 1024 or with a fraction as DecimalSI.
 */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"
#include "core/core.h"

static char *canonical(const char *text)
{
	char *s = NULL;
	int rc = k8smig_quantity_canonical(&s, text);
	if (rc < 0)
		fail_msg("'%s' was rejected: %s", text, k8smig_error_last()->message);
	return s;
}

static void test_quantity_canonical_forms(void **state)
{
	static const char *const cases[][2] = {
		/* the API server's own documentation examples */
		{ "1.5", "1500m" }, { "1.5Gi", "1536Mi" },
		/* decimal SI */
		{ "0.5", "500m" }, { "1000m", "1" }, { "1000", "1k" }, { "2000", "2k" }, { "1024", "1024" },
		{ "0.25", "250m" }, { "100m", "100m" }, { "1G", "1G" }, { "1000M", "1G" }, { "1000000k", "1G" },
		{ ".5", "500m" }, { "1.", "1" }, { "+1", "1" }, { "-1", "-1" }, { "0.0001", "100u" }, { "1E", "1E" },
		{ "0", "0" }, { "000", "0" }, { "-0", "0" }, { "0.000", "0" },
		/* nano precision: finer digits round up, away from zero */
		{ "0.1n", "1n" }, { "1.0000000001", "1000000001n" }, { "-0.1n", "-1n" },
		/* binary SI */
		{ "1024Mi", "1Gi" }, { "512Mi", "512Mi" }, { "0.5Gi", "512Mi" }, { "1Ki", "1Ki" }, { "0.5Ki", "512" },
		{ "1.1Ki", "1126400m" }, { "64Ti", "64Ti" }, { "7Ei", "7Ei" }, { "1536Mi", "1536Mi" }, { "0Mi", "0" },
		{ "0.5Mi", "512Ki" },
		/* binary, not a multiple of 1024: decimal (the API server 1.36 answered these, found by fuzz_values) */
		{ "99312.5Ki", "101696k" }, { "1.5Ki", "1536" }, { "2.25Ki", "2304" }, { "12.5Mi", "12800Ki" },
		/* decimal exponent */
		{ "1e3", "1e3" }, { "1E3", "1e3" }, { "1e+3", "1e3" }, { "1.5e3", "1500" }, { "12e6", "12e6" },
		{ "1e-3", "1e-3" }, { "5e-1", "500e-3" }, { "1e0", "1" }, { "10e2", "1e3" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = canonical(cases[i][0]);
		if (strcmp(s, cases[i][1]) != 0)
			fail_msg("'%s': want '%s', got '%s'", cases[i][0], cases[i][1], s);
		k8smig_free(s);
	}
}

static void test_quantity_rejects_what_the_api_server_rejects(void **state)
{
	static const char *const bad[] = {
		"", "1.5.5", "5Gb", " 1", "1 ", "--1", "1e", "Mi", ".", "-", "+", "1K", "1mi", "1Kb", "abc",
		"1e3.5", "1Mi5", "1e+", "1 Gi", "0x10", "1,5", "1_000", "e3",
		/* beyond the representable range */
		"99999999999999999999", "8Ei", "1e31", "1e1000000", "1e-100000",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k8smig_quantity q = { 7, 7, K8SMIG_QUANTITY_BINARY_SI };
		int rc = k8smig_quantity_parse(&q, bad[i]);
		if (rc != K8SMIG_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_string_equal(k8smig_error_last()->path, "");
		assert_int_equal(q.mantissa, 0); /* zeroed on failure */
	}
	assert_fails(k8smig_quantity_parse(NULL, "1"), K8SMIG_EINVAL, "");
	{
		k8smig_quantity q;
		assert_fails(k8smig_quantity_parse(&q, NULL), K8SMIG_EINVAL, "");
	}
}

static void test_quantity_tiny_exponent_rounds_up_to_a_nano(void **state)
{
	k8smig_quantity q;
	(void)state;
	/* 1e-20 is a valid quantity: Kubernetes rounds it up to 1n */
	assert_ok(k8smig_quantity_parse(&q, "1e-20"));
	assert_int_equal(q.mantissa, 1);
	assert_int_equal(q.scale, -9);
	assert_int_equal(q.format, K8SMIG_QUANTITY_DECIMAL_EXPONENT);
}

static void test_quantity_parse_keeps_the_family(void **state)
{
	k8smig_quantity q;
	(void)state;
	assert_ok(k8smig_quantity_parse(&q, "512Mi"));
	assert_int_equal(q.format, K8SMIG_QUANTITY_BINARY_SI);
	assert_int_equal(q.mantissa, 536870912);
	assert_int_equal(q.scale, 0);
	assert_ok(k8smig_quantity_parse(&q, "500m"));
	assert_int_equal(q.format, K8SMIG_QUANTITY_DECIMAL_SI);
	assert_int_equal(q.mantissa, 5);
	assert_int_equal(q.scale, -1);
	assert_ok(k8smig_quantity_parse(&q, "1e3"));
	assert_int_equal(q.format, K8SMIG_QUANTITY_DECIMAL_EXPONENT);
	/* binary below 1 becomes decimal when parsed, as in ParseQuantity */
	assert_ok(k8smig_quantity_parse(&q, "0.0001Ki"));
	assert_int_equal(q.format, K8SMIG_QUANTITY_DECIMAL_SI);
}

static int cmp(const char *a, const char *b)
{
	k8smig_quantity qa, qb;
	assert_ok(k8smig_quantity_parse(&qa, a));
	assert_ok(k8smig_quantity_parse(&qb, b));
	return k8smig_quantity_cmp(&qa, &qb);
}

/* A number led by '1'-'9' takes parse's short way; with a '+' in front the same text takes the
 * general one. Both must agree on every value and every failure, at the edges of both (18 and
 * 19 digits, trailing zeros, the scale and int64 limits, every suffix and then some). */
static void test_quantity_short_way_agrees_with_the_general_one(void **state)
{
	static const char *const digits[] = {
		"1", "5", "500", "512", "1000", "1024", "999999", "1000000000", "123456789012345678",
		"100000000000000000", "999999999999999999", "1234567890123456789", "9223372036854775807",
		"9223372036854775808", "8589934592", "8589934591", "17179869184",
	};
	static const char *const suffixes[] = {
		"", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
		"e3", "e-3", "E2", ".5", ".0m", "x", "mi", "K", "KiB", "0Mi", " ",
	};
	size_t d, x;
	(void)state;
	for (d = 0; d < sizeof(digits) / sizeof(digits[0]); d++)
		for (x = 0; x < sizeof(suffixes) / sizeof(suffixes[0]); x++) {
			char text[64], plus[65];
			k8smig_quantity a, b;
			int ra, rb;
			snprintf(text, sizeof(text), "%s%s", digits[d], suffixes[x]);
			snprintf(plus, sizeof(plus), "+%s", text);
			ra = k8smig_quantity_parse(&a, text);
			rb = k8smig_quantity_parse(&b, plus);
			if (ra != rb || a.mantissa != b.mantissa || a.scale != b.scale || a.format != b.format)
				fail_msg("%s: %d %lld e%d f%d, but %s: %d %lld e%d f%d", text, ra, (long long)a.mantissa, a.scale,
				         (int)a.format, plus, rb, (long long)b.mantissa, b.scale, (int)b.format);
			/* the short way copies a text it finds canonical: it must be what formatting writes */
			if (ra == 0) {
				char copied[K8SMIG__QUANTITY_TEXT_MAX], formatted[K8SMIG__QUANTITY_TEXT_MAX];
				size_t n = k8smig__quantity_parse_buf(&a, text, copied);
				assert_int_equal(n, k8smig__quantity_format_buf(formatted, &b));
				assert_string_equal(copied, formatted);
				assert_int_equal(n, strlen(copied));
			} else {
				char buf[K8SMIG__QUANTITY_TEXT_MAX];
				assert_int_equal(k8smig__quantity_parse_buf(&a, text, buf), 0);
			}
			k8smig_error_clear();
		}
}

static void test_quantity_compare_by_value(void **state)
{
	(void)state;
	assert_int_equal(cmp("1Gi", "1024Mi"), 0);
	assert_int_equal(cmp("500m", "0.5"), 0);
	assert_int_equal(cmp("1e3", "1k"), 0);
	assert_int_equal(cmp("1", "999m"), 1);
	assert_int_equal(cmp("-1", "1"), -1);
	assert_int_equal(cmp("-2", "-1"), -1);
	assert_int_equal(cmp("1k", "1Ki"), -1);
	assert_int_equal(cmp("100Gi", "1T"), -1);
	assert_int_equal(cmp("0", "-0"), 0);
	assert_int_equal(cmp("7Ei", "8E"), 1);
	assert_int_equal(cmp("9223372036854775807", "9223372036854775806"), 1);
	assert_int_equal(cmp("1n", "0"), 1);
}

static void test_quantity_value_and_milli_round_up(void **state)
{
	k8smig_quantity q;
	(void)state;
	assert_ok(k8smig_quantity_parse(&q, "1.5"));
	assert_int_equal(k8smig_quantity_milli(&q), 1500);
	assert_int_equal(k8smig_quantity_value(&q), 2);
	assert_ok(k8smig_quantity_parse(&q, "500m"));
	assert_int_equal(k8smig_quantity_value(&q), 1);
	assert_ok(k8smig_quantity_parse(&q, "-500m"));
	assert_int_equal(k8smig_quantity_value(&q), -1);
	assert_ok(k8smig_quantity_parse(&q, "0.1n"));
	assert_int_equal(k8smig_quantity_milli(&q), 1);
	assert_ok(k8smig_quantity_parse(&q, "1Gi"));
	assert_int_equal(k8smig_quantity_value(&q), 1073741824);
	assert_int_equal(k8smig_quantity_milli(&q), 1073741824000LL);
	assert_ok(k8smig_quantity_parse(&q, "1E"));
	assert_int_equal(k8smig_quantity_milli(&q), INT64_MAX); /* saturates */
	assert_ok(k8smig_quantity_parse(&q, "-1E"));
	assert_int_equal(k8smig_quantity_milli(&q), INT64_MIN);
	assert_int_equal(k8smig_quantity_value(NULL), 0);
}

static void test_quantity_format_rejects_a_bad_struct(void **state)
{
	k8smig_quantity q = { 1, -10, K8SMIG_QUANTITY_DECIMAL_SI };
	char *s = (char *)"x";
	(void)state;
	assert_fails(k8smig_quantity_format_str(&s, &q), K8SMIG_EINVAL, "");
	assert_null(s);
	q.scale = 0;
	q.format = (k8smig_quantity_format)7;
	assert_fails(k8smig_quantity_format_str(&s, &q), K8SMIG_EINVAL, "");
	assert_fails(k8smig_quantity_format_str(&s, NULL), K8SMIG_EINVAL, "");
	/* an unnormalised struct prints like its value */
	q.mantissa = 1000;
	q.scale = 0;
	q.format = K8SMIG_QUANTITY_DECIMAL_SI;
	assert_ok(k8smig_quantity_format_str(&s, &q));
	assert_string_equal(s, "1k");
	k8smig_free(s);
	/* beyond E there is no suffix: the zeros are written out */
	q.mantissa = 1;
	q.scale = 21;
	assert_ok(k8smig_quantity_format_str(&s, &q));
	assert_string_equal(s, "1000E");
	k8smig_free(s);
}

static void test_quantity_from_ecs(void **state)
{
	static const struct { int64_t in; const char *cpu, *mem; } cases[] = {
		{ 512, "500m", "512Mi" }, { 256, "250m", "256Mi" }, { 1024, "1", "1Gi" }, { 4096, "4", "4Gi" },
		{ 1536, "1500m", "1536Mi" }, { 1, "1m", "1Mi" }, { 0, "0", "0" }, { 3072, "3", "3Gi" },
		{ 100, "98m", "100Mi" },
	};
	size_t i;
	char *s;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_ok(k8smig_quantity_from_ecs_cpu(&s, cases[i].in));
		assert_string_equal(s, cases[i].cpu);
		k8smig_free(s);
		assert_ok(k8smig_quantity_from_ecs_memory(&s, cases[i].in));
		assert_string_equal(s, cases[i].mem);
		k8smig_free(s);
	}
	assert_fails(k8smig_quantity_from_ecs_cpu(&s, -1), K8SMIG_EINVAL, "");
	assert_null(s);
	assert_fails(k8smig_quantity_from_ecs_cpu(&s, 1048577), K8SMIG_EINVAL, "");
	assert_fails(k8smig_quantity_from_ecs_memory(&s, -1), K8SMIG_EINVAL, "");
	assert_fails(k8smig_quantity_from_ecs_memory(&s, (int64_t)1 << 43), K8SMIG_EINVAL, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_quantity_canonical_forms, teardown_error),
		cmocka_unit_test_teardown(test_quantity_rejects_what_the_api_server_rejects, teardown_error),
		cmocka_unit_test_teardown(test_quantity_tiny_exponent_rounds_up_to_a_nano, teardown_error),
		cmocka_unit_test_teardown(test_quantity_parse_keeps_the_family, teardown_error),
		cmocka_unit_test_teardown(test_quantity_short_way_agrees_with_the_general_one, teardown_error),
		cmocka_unit_test_teardown(test_quantity_compare_by_value, teardown_error),
		cmocka_unit_test_teardown(test_quantity_value_and_milli_round_up, teardown_error),
		cmocka_unit_test_teardown(test_quantity_format_rejects_a_bad_struct, teardown_error),
		cmocka_unit_test_teardown(test_quantity_from_ecs, teardown_error),
	};
	return cmocka_run_group_tests_name("quantity", tests, NULL, NULL);
}
