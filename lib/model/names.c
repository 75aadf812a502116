/*
 * lib/model/names.c - Kubernetes name and label syntax, as the API server's
 * k8s.io/apimachinery/pkg/util/validation checks it (see names.h).
 */
#include <string.h>

#include "names.h"

static bool lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool alnum(char c)
{
	return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..n) */
static bool label_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!lower_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

/* labels joined by '.' over s[0..n) */
static bool subdomain_ok(const char *s, size_t n)
{
	size_t start = 0, i;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (!label_ok(s + start, i - start))
				return false;
			start = i + 1;
		}
	}
	return true;
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] over s[0..n) */
static bool name_part_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || !alnum(s[0]) || !alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

/* [-._a-zA-Z0-9]* */
static bool key_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!alnum(*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

/* apimachinery's hasChDirPrefix */
static const char *chdir_prefix(const char *s)
{
	if (strcmp(s, ".") == 0)
		return "must not be '.'";
	if (strcmp(s, "..") == 0)
		return "must not be '..'";
	if (strncmp(s, "..", 2) == 0)
		return "must not start with '..'";
	return NULL;
}

const char *k8smig__dns1123_label(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return "must not be empty";
	if (n > 63)
		return "must be no more than 63 characters";
	if (!label_ok(s, n))
		return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
	return NULL;
}

const char *k8smig__dns1123_subdomain(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return "must not be empty";
	if (n > 253)
		return "must be no more than 253 characters";
	if (!subdomain_ok(s, n))
		return "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
	return NULL;
}

const char *k8smig__dns1035_label(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return "must not be empty";
	if (n > 63)
		return "must be no more than 63 characters";
	if (!label_ok(s, n) || !(s[0] >= 'a' && s[0] <= 'z'))
		return "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
	return NULL;
}

const char *k8smig__path_segment_name(const char *s)
{
	if (!s || !*s)
		return "must not be empty";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "may not be '.' or '..'";
	if (strchr(s, '/') || strchr(s, '%'))
		return "may not contain '/' or '%'";
	return NULL;
}

const char *k8smig__label_key(const char *s)
{
	const char *slash, *name;
	size_t n;

	if (!s || !*s)
		return "name part must not be empty";
	slash = strchr(s, '/');
	name = s;
	if (slash) {
		size_t plen = (size_t)(slash - s);
		if (strchr(slash + 1, '/'))
			return "must have at most one '/'";
		if (plen == 0)
			return "prefix before '/' must not be empty";
		if (plen > 253)
			return "prefix must be no more than 253 characters";
		if (!subdomain_ok(s, plen))
			return "prefix must be a DNS-1123 subdomain";
		name = slash + 1;
	}
	n = strlen(name);
	if (n == 0)
		return "name part must not be empty";
	if (n > 63)
		return "name part must be no more than 63 characters";
	if (!name_part_ok(name, n))
		return "name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
	return NULL;
}

const char *k8smig__label_value(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (!s)
		return "must not be missing";
	if (n == 0)
		return NULL;
	if (n > 63)
		return "must be no more than 63 characters";
	if (!name_part_ok(s, n))
		return "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
	return NULL;
}

const char *k8smig__iana_svc_name(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;
	bool letter = false;
	if (n == 0)
		return "must not be empty";
	if (n > 15)
		return "must be no more than 15 characters";
	for (i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			letter = true;
		else if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
			return "must contain only lowercase letters, digits and '-'";
	}
	if (!letter)
		return "must contain at least one letter";
	if (s[0] == '-' || s[n - 1] == '-')
		return "must not start or end with '-'";
	if (strstr(s, "--"))
		return "must not contain '--'";
	return NULL;
}

const char *k8smig__config_key(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return "must not be empty";
	if (n > 253)
		return "must be no more than 253 characters";
	if (!key_chars_ok(s))
		return "must consist of letters, digits, '-', '_' or '.'";
	return chdir_prefix(s);
}

const char *k8smig__env_var_name(const char *s)
{
	if (!s || !*s)
		return "must not be empty";
	if (s[0] >= '0' && s[0] <= '9')
		return "must not start with a digit";
	if (!key_chars_ok(s))
		return "must consist of letters, digits, '-', '_' or '.'";
	return chdir_prefix(s);
}
