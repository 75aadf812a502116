/* tests/unit/test_core.c - lib/core: errors, buffers, UTF-8, base64, init. */
#include <pthread.h>
#include <stdlib.h>

#include "helpers.h"
#include "core/core.h"

static void test_error_set_fields(void **state)
{
	(void)state;
	assert_int_equal(k8smig__error_set(K8SMIG_EINVAL, "image", "bad %s", "thing"), K8SMIG_EINVAL);
	k8smig__error_prefix("containers[0]");
	k8smig__error_prefix("spec");
	k8smig__error_prefix("template");
	assert_string_equal(k8smig_error_last()->path, "template.spec.containers[0].image");
	assert_string_equal(k8smig_error_last()->message, "bad thing");
	k8smig__error_set_position(3, 7);
	k8smig__error_set_file("a.yaml");
	k8smig__error_set_http(409, "Conflict");
	assert_int_equal(k8smig_error_last()->line, 3);
	assert_int_equal(k8smig_error_last()->column, 7);
	assert_string_equal(k8smig_error_last()->file, "a.yaml");
	assert_int_equal(k8smig_error_last()->http_status, 409);
	assert_string_equal(k8smig_error_last()->reason, "Conflict");
}

static void test_error_prefix_brackets(void **state)
{
	(void)state;
	k8smig__error_set(K8SMIG_EINVAL, "[app.kubernetes.io/name]", "x");
	k8smig__error_prefix("labels");
	k8smig__error_prefix("metadata");
	assert_string_equal(k8smig_error_last()->path, "metadata.labels[app.kubernetes.io/name]");
}

static void test_error_clear_resets(void **state)
{
	(void)state;
	k8smig__error_set(K8SMIG_EPARSE, "x", "m");
	k8smig__error_set_position(1, 2);
	k8smig_error_clear();
	assert_int_equal(k8smig_error_last()->code, 0);
	assert_int_equal(k8smig_error_last()->line, 0);
	assert_string_equal(k8smig_error_last()->message, "");
	assert_string_equal(k8smig_error_last()->path, "");
}

static void test_error_message_truncates_safely(void **state)
{
	char big[4000];
	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	k8smig__error_set(K8SMIG_EINVAL, big, "%s", big);
	assert_true(strlen(k8smig_error_last()->message) < sizeof(big));
	assert_true(strlen(k8smig_error_last()->path) < sizeof(big));
}

static void *other_thread(void *arg)
{
	(void)arg;
	k8smig__error_set(K8SMIG_ETIMEOUT, "t", "other");
	return NULL;
}

static void test_error_is_per_thread(void **state)
{
	pthread_t t;
	(void)state;
	k8smig__error_set(K8SMIG_EKIND, "mine", "mine");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, NULL);
	assert_int_equal(k8smig_error_last()->code, K8SMIG_EKIND);
	assert_string_equal(k8smig_error_last()->path, "mine");
}

static void test_error_names(void **state)
{
	(void)state;
	assert_string_equal(k8smig_error_name(K8SMIG_EINVAL), "EINVAL");
	assert_string_equal(k8smig_error_name(K8SMIG_ETIMEOUT), "ETIMEOUT");
	assert_string_equal(k8smig_error_name(-999), "ERROR");
}

static void test_buf_grows_and_formats(void **state)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	char *s;
	size_t len, i;
	(void)state;
	for (i = 0; i < 1000; i++)
		assert_ok(k8smig__buf_puts(&b, "abc"));
	assert_ok(k8smig__buf_put_int(&b, INT64_MIN));
	assert_ok(k8smig__buf_put_int(&b, 0));
	assert_ok(k8smig__buf_printf(&b, "%s", "x"));
	s = k8smig__buf_detach(&b, &len);
	assert_int_equal(len, 3000 + strlen("-9223372036854775808") + 2);
	assert_string_equal(s + 3000, "-92233720368547758080x");
	free(s);
}

/* RFC 4648 section 10 test vectors, both ways */
static void test_base64_rfc4648_vectors(void **state)
{
	static const char *const vectors[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		char enc[16], *dec;
		size_t n, len = strlen(vectors[i][0]);
		assert_int_equal(k8smig__base64_encode(enc, vectors[i][0], len), K8SMIG__BASE64_LEN(len));
		assert_string_equal(enc, vectors[i][1]);
		assert_ok(k8smig__base64_decode(&dec, &n, vectors[i][1], strlen(vectors[i][1])));
		assert_int_equal(n, len);
		assert_string_equal(dec, vectors[i][0]);
		free(dec);
	}
}

static void test_base64_decoding(void **state)
{
	char *out;
	size_t n;
	(void)state;
	assert_ok(k8smig__base64_decode(&out, &n, "aGVs\nbG8=", 9));
	assert_int_equal(n, 5);
	assert_string_equal(out, "hello");
	free(out);
	assert_fails(k8smig__base64_decode(&out, &n, "a$b=", 4), K8SMIG_EINVAL, "");
	assert_fails(k8smig__base64_decode(&out, &n, "ab=c", 4), K8SMIG_EINVAL, "");
}

static void test_buf_cstr(void **state)
{
	k8smig__buf b = K8SMIG__BUF_INIT;
	(void)state;
	assert_string_equal(k8smig__buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_ok(k8smig__buf_puts(&b, "abc"));
	assert_string_equal(k8smig__buf_cstr(&b), "abc");
	assert_int_equal(b.len, 3); /* the NUL is not part of the text */
	assert_ok(k8smig__buf_puts(&b, "d"));
	assert_string_equal(k8smig__buf_cstr(&b), "abcd");
	k8smig__buf_free(&b);
}

static void test_utf8_validation(void **state)
{
	(void)state;
	assert_true(k8smig__utf8_valid("plain", 5));
	assert_true(k8smig__utf8_valid("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80", 15));
	assert_false(k8smig__utf8_valid("\xC3", 1));          /* truncated */
	assert_false(k8smig__utf8_valid("\xC0\xAF", 2));      /* overlong */
	assert_false(k8smig__utf8_valid("\xED\xA0\x80", 3));  /* surrogate */
	assert_false(k8smig__utf8_valid("\xF5\x80\x80\x80", 4));
	assert_false(k8smig__utf8_valid("\xFF", 1));
	assert_int_equal(k8smig__utf8_valid_prefix("ab\xFF", 3), 2);
}

static void test_read_file_missing(void **state)
{
	char *data;
	size_t len;
	(void)state;
	assert_fails(k8smig__read_file(&data, &len, "/nonexistent/k8smig-test", 0), K8SMIG_ENOTFOUND, "");
	assert_string_equal(k8smig_error_last()->file, "/nonexistent/k8smig-test");
	assert_null(data);
}

static void test_init_is_counted(void **state)
{
	(void)state;
	assert_int_equal(k8smig_init(), 1);
	assert_int_equal(k8smig_init(), 2);
	assert_int_equal(k8smig_shutdown(), 1);
	assert_int_equal(k8smig_shutdown(), 0);
	assert_int_equal(k8smig_shutdown(), K8SMIG_ERROR);
	assert_string_equal(k8smig_version(), K8SMIG_VERSION);
	assert_true(K8SMIG_VERSION_CHECK(0, 1, 0));
	assert_false(K8SMIG_VERSION_CHECK(99, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_error_set_fields, teardown_error),
		cmocka_unit_test_teardown(test_error_prefix_brackets, teardown_error),
		cmocka_unit_test_teardown(test_error_clear_resets, teardown_error),
		cmocka_unit_test_teardown(test_error_message_truncates_safely, teardown_error),
		cmocka_unit_test_teardown(test_error_is_per_thread, teardown_error),
		cmocka_unit_test_teardown(test_error_names, teardown_error),
		cmocka_unit_test_teardown(test_buf_grows_and_formats, teardown_error),
		cmocka_unit_test_teardown(test_utf8_validation, teardown_error),
		cmocka_unit_test_teardown(test_base64_rfc4648_vectors, teardown_error),
		cmocka_unit_test_teardown(test_base64_decoding, teardown_error),
		cmocka_unit_test_teardown(test_buf_cstr, teardown_error),
		cmocka_unit_test_teardown(test_read_file_missing, teardown_error),
		cmocka_unit_test_teardown(test_init_is_counted, teardown_error),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
