/*
 * lib/model/validate_syntax.c - credential heuristics (keys and values that look
 * like secrets). The Kubernetes name and label syntax and the IAM role ARN are
 * in names.c.
 */
#include <string.h>
#include <strings.h>

#include "validate.h"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_upper_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
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
