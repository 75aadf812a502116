/*
 * lib/model/names.c - Kubernetes name and label syntax, as the API server's
 * k8s.io/apimachinery/pkg/util/validation checks it (see names.h).
 */
#include <string.h>

#include "names.h"

/* Byte classes, one table lookup per byte: every check below is one pass over the bytes. */
enum { C_LOWER_ALNUM = 1, C_ALNUM = 2, C_LABEL = 4, C_NAME = 8 };
#define LA (C_LOWER_ALNUM | C_ALNUM | C_LABEL | C_NAME) /* a-z 0-9 */
#define UA (C_ALNUM | C_NAME)                           /* A-Z */
static const unsigned char cls[256] = {
	['-'] = C_LABEL | C_NAME, ['_'] = C_NAME, ['.'] = C_NAME,
	['0'] = LA, ['1'] = LA, ['2'] = LA, ['3'] = LA, ['4'] = LA, ['5'] = LA, ['6'] = LA, ['7'] = LA, ['8'] = LA, ['9'] = LA,
	['a'] = LA, ['b'] = LA, ['c'] = LA, ['d'] = LA, ['e'] = LA, ['f'] = LA, ['g'] = LA, ['h'] = LA, ['i'] = LA,
	['j'] = LA, ['k'] = LA, ['l'] = LA, ['m'] = LA, ['n'] = LA, ['o'] = LA, ['p'] = LA, ['q'] = LA, ['r'] = LA,
	['s'] = LA, ['t'] = LA, ['u'] = LA, ['v'] = LA, ['w'] = LA, ['x'] = LA, ['y'] = LA, ['z'] = LA,
	['A'] = UA, ['B'] = UA, ['C'] = UA, ['D'] = UA, ['E'] = UA, ['F'] = UA, ['G'] = UA, ['H'] = UA, ['I'] = UA,
	['J'] = UA, ['K'] = UA, ['L'] = UA, ['M'] = UA, ['N'] = UA, ['O'] = UA, ['P'] = UA, ['Q'] = UA, ['R'] = UA,
	['S'] = UA, ['T'] = UA, ['U'] = UA, ['V'] = UA, ['W'] = UA, ['X'] = UA, ['Y'] = UA, ['Z'] = UA,
};
#undef LA
#undef UA

static bool lower_alnum(char c)
{
	return cls[(unsigned char)c] & C_LOWER_ALNUM;
}

static bool alnum(char c)
{
	return cls[(unsigned char)c] & C_ALNUM;
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..n) */
static bool label_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++)
		if (!(cls[(unsigned char)s[i]] & C_LABEL))
			return false;
	return true;
}

/* labels joined by '.' over s[0..n), in one pass: every byte a-z 0-9 '-' '.', and each
 * label starting and ending with a-z 0-9 (so no '.' or '-' beside a '.' or at either end) */
static bool subdomain_ok(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
		return false;
	for (i = 1; i + 1 < n; i++) {
		unsigned char c = cls[(unsigned char)s[i]];
		if (c & C_LABEL)
			continue;
		if (s[i] != '.' || !lower_alnum(s[i - 1]) || !lower_alnum(s[i + 1]))
			return false;
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
		if (!(cls[(unsigned char)s[i]] & C_NAME))
			return false;
	return true;
}

/* a qualified name part of at most 63 (s not empty): NULL, too_long or bad */
static const char *name_part_error(const char *s, const char *too_long, const char *bad)
{
	size_t n = strlen(s);
	if (n > 63)
		return too_long;
	return name_part_ok(s, n) ? NULL : bad;
}

/* [-._a-zA-Z0-9]* */
static bool key_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!(cls[(unsigned char)*s] & C_NAME))
			return false;
	return true;
}

/* apimachinery's hasChDirPrefix */
static const char *chdir_prefix(const char *s)
{
	if (s[0] != '.')
		return NULL;
	if (strcmp(s, ".") == 0)
		return "must not be '.'";
	if (strcmp(s, "..") == 0)
		return "must not be '..'";
	if (strncmp(s, "..", 2) == 0)
		return "must not start with '..'";
	return NULL;
}

/* "" and NULL are empty; longer than max: too_long. The length in *n. */
static const char *length_error(const char *s, size_t max, const char *too_long, size_t *n)
{
	*n = s ? strlen(s) : 0;
	if (*n == 0)
		return "must not be empty";
	return *n > max ? too_long : NULL;
}

const char *k8smig__dns1123_label(const char *s)
{
	size_t n;
	const char *why = length_error(s, 63, "must be no more than 63 characters", &n);
	if (!why && !label_ok(s, n))
		why = "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
	return why;
}

const char *k8smig__dns1123_subdomain(const char *s)
{
	size_t n;
	const char *why = length_error(s, 253, "must be no more than 253 characters", &n);
	if (!why && !subdomain_ok(s, n))
		why = "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
	return why;
}

const char *k8smig__dns1035_label(const char *s)
{
	size_t n;
	const char *why = length_error(s, 63, "must be no more than 63 characters", &n);
	if (!why && (!label_ok(s, n) || !(s[0] >= 'a' && s[0] <= 'z')))
		why = "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
	return why;
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
	if (!*name)
		return "name part must not be empty";
	return name_part_error(name, "name part must be no more than 63 characters",
	                       "name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
}

const char *k8smig__label_value(const char *s)
{
	if (!s)
		return "must not be missing";
	if (!*s)
		return NULL;
	return name_part_error(s, "must be no more than 63 characters",
	                       "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
}

const char *k8smig__iana_svc_name(const char *s)
{
	size_t n, i;
	const char *why = length_error(s, 15, "must be no more than 15 characters", &n);
	bool letter = false, dashes = false;
	if (why)
		return why;
	for (i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			letter = true;
		else if (s[i] == '-')
			dashes |= i > 0 && s[i - 1] == '-';
		else if (!(s[i] >= '0' && s[i] <= '9'))
			return "must contain only lowercase letters, digits and '-'";
	}
	if (!letter)
		return "must contain at least one letter";
	if (s[0] == '-' || s[n - 1] == '-')
		return "must not start or end with '-'";
	if (dashes)
		return "must not contain '--'";
	return NULL;
}

const char *k8smig__config_key(const char *s)
{
	size_t n;
	const char *why = length_error(s, 253, "must be no more than 253 characters", &n);
	if (why)
		return why;
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

const char *k8smig__iam_role_arn(const char *s)
{
	static const char *const partitions[] = { "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
	                                          "aws-iso-e", "aws-iso-f", "aws-eusc", NULL };
	const char *p, *name, *last;
	size_t i, n;

	if (!s || strncmp(s, "arn:", 4) != 0)
		return "must start with arn:<partition>:iam::";
	p = s + 4;
	n = strcspn(p, ":");
	for (i = 0; partitions[i]; i++)
		if (strlen(partitions[i]) == n && strncmp(p, partitions[i], n) == 0)
			break;
	if (!partitions[i])
		return "unknown partition (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc)";
	p += n;
	if (strncmp(p, ":iam::", 6) != 0)
		return "must be an IAM ARN (arn:<partition>:iam::, no region)";
	p += 6;
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
		if (!alnum(name[i]) && !strchr("+=,.@_-", name[i]))
			return "role name must consist of letters, digits and +=,.@_-";
	return NULL;
}
