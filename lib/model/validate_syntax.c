/*
 * lib/model/validate_syntax.c - the string rules of the Kubernetes API server
 * (k8s.io/apimachinery/pkg/util/validation) and a few AWS shapes.
 *
 * Each function returns NULL when s is valid, or a short static reason.
 */
#include <string.h>
#include <strings.h>

#include "validate.h"

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool is_upper_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..n) */
static bool label_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

const char *k8smig__dns1123_label(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return "must not be empty";
	if (n > 63)
		return "must be no more than 63 characters";
	if (!label_ok(s, n))
		return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
	return NULL;
}

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

const char *k8smig__dns1123_subdomain(const char *s)
{
	size_t n = strlen(s);
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
	size_t n = strlen(s);
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
	if (!*s)
		return "must not be empty";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "may not be '.' or '..'";
	if (strchr(s, '/') || strchr(s, '%'))
		return "may not contain '/' or '%'";
	return NULL;
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] */
static bool qualified_name_part_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

const char *k8smig__label_key(const char *s)
{
	const char *slash = strchr(s, '/');
	const char *name = s;
	size_t n;

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
	if (!qualified_name_part_ok(name, n))
		return "name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
	return NULL;
}

const char *k8smig__label_value(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return NULL;
	if (n > 63)
		return "must be no more than 63 characters";
	if (!qualified_name_part_ok(s, n))
		return "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
	return NULL;
}

const char *k8smig__iana_svc_name(const char *s)
{
	size_t n = strlen(s), i;
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
	size_t n = strlen(s), i;
	if (n == 0)
		return "must not be empty";
	if (n > 253)
		return "must be no more than 253 characters";
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return "must consist of letters, digits, '-', '_' or '.'";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0 || strncmp(s, "..", 2) == 0)
		return "must not be '.' or '..' or start with '..'";
	return NULL;
}

const char *k8smig__env_var_name(const char *s)
{
	size_t i;
	if (!*s)
		return "must not be empty";
	if (s[0] >= '0' && s[0] <= '9')
		return "must not start with a digit";
	for (i = 0; s[i]; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return "must consist of letters, digits, '-', '_' or '.'";
	return NULL;
}

/* arn:aws[-cn|-us-gov]:iam::<12 digits>:role/[path/]name */
const char *k8smig__irsa_arn(const char *s)
{
	static const char *const prefixes[] = { "arn:aws:iam::", "arn:aws-cn:iam::", "arn:aws-us-gov:iam::", NULL };
	const char *p = NULL, *name, *last;
	size_t i, n;

	for (i = 0; prefixes[i]; i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0) {
			p = s + strlen(prefixes[i]);
			break;
		}
	if (!p)
		return "must start with arn:aws:iam::, arn:aws-cn:iam:: or arn:aws-us-gov:iam::";
	for (i = 0; i < 12; i++)
		if (!(p[i] >= '0' && p[i] <= '9'))
			return "account id must be 12 digits";
	p += 12;
	if (strncmp(p, ":role/", 6) != 0)
		return "must name a role (':role/' after the 12-digit account id)";
	p += 6;
	last = strrchr(p, '/');
	name = last ? last + 1 : p;
	/* path segments before the name: printable ASCII without '/', none empty */
	if (last) {
		const char *q, *seg = p;
		if (last - p > 510)
			return "role path must be no more than 512 characters";
		for (q = p; q <= last; q++) {
			if (*q == '/') {
				if (q == seg)
					return "role path must not contain empty segments";
				seg = q + 1;
			} else if ((unsigned char)*q < 0x21 || (unsigned char)*q > 0x7e)
				return "role path must be printable ASCII";
		}
	}
	n = strlen(name);
	if (n == 0)
		return "role name must not be empty";
	if (n > 64)
		return "role name must be no more than 64 characters";
	for (i = 0; i < n; i++)
		if (!is_alnum(name[i]) && !strchr("+=,.@_-", name[i]))
			return "role name must consist of letters, digits and +=,.@_-";
	return NULL;
}

bool k8smig__strcasestr_ascii(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

bool k8smig__looks_like_credential_key(const char *key)
{
	return ends_with_ci(key, "_KEY") || ends_with_ci(key, "_SECRET") || strcasecmp(key, "SECRET") == 0 ||
	       k8smig__strcasestr_ascii(key, "PASSWORD") || k8smig__strcasestr_ascii(key, "PASSWD") ||
	       k8smig__strcasestr_ascii(key, "TOKEN");
}

static bool is_b64(char c)
{
	return is_alnum(c) || c == '/' || c == '+';
}

bool k8smig__looks_like_credential_value(const char *v)
{
	size_t i, n = strlen(v);

	/* AWS access key ids: AKIA/ASIA + 16 uppercase letters or digits, standing alone */
	for (i = 0; i + 20 <= n; i++) {
		if ((strncmp(v + i, "AKIA", 4) == 0 || strncmp(v + i, "ASIA", 4) == 0) &&
		    (i == 0 || !is_upper_alnum(v[i - 1]))) {
			size_t j;
			for (j = 4; j < 20 && is_upper_alnum(v[i + j]); j++)
				;
			if (j == 20 && (i + 20 == n || !is_upper_alnum(v[i + 20])))
				return true;
		}
	}
	/* secret access keys: a run of exactly 40 base64 characters (A-Z a-z 0-9 / +)
	 * holding an uppercase letter, a lowercase letter and a digit */
	for (i = 0; i < n;) {
		size_t j = i;
		bool up = false, low = false, dig = false;
		while (j < n && is_b64(v[j])) {
			up |= v[j] >= 'A' && v[j] <= 'Z';
			low |= v[j] >= 'a' && v[j] <= 'z';
			dig |= v[j] >= '0' && v[j] <= '9';
			j++;
		}
		if (j - i == 40 && up && low && dig)
			return true;
		i = j > i ? j : i + 1;
	}
	return false;
}

const char *k8smig__name_rule(const char *kind, const char *name, const char **rule_out)
{
	if (strcmp(kind, "Namespace") == 0 || strcmp(kind, "StatefulSet") == 0) {
		*rule_out = "DNS-1123 label";
		return k8smig__dns1123_label(name);
	}
	if (strcmp(kind, "Service") == 0) {
		*rule_out = "DNS-1035 label";
		return k8smig__dns1035_label(name);
	}
	if (strcmp(kind, "Role") == 0 || strcmp(kind, "ClusterRole") == 0 || strcmp(kind, "RoleBinding") == 0 ||
	    strcmp(kind, "ClusterRoleBinding") == 0) {
		*rule_out = "path segment name";
		return k8smig__path_segment_name(name);
	}
	*rule_out = "DNS-1123 subdomain";
	return k8smig__dns1123_subdomain(name);
}
