/*
 * lib/model/keys.c - the field names Kubernetes objects use most, stored once.
 *
 * A map entry whose key is one of these points into this table instead of
 * holding its own copy (tree.h, K8SMIG__F_STATIC_KEY): about a fifth of a
 * Deployment's arena, and no copy when parsing or building. Found through a
 * small open-addressing hash table built once; indexes are only meaningful
 * inside one build of the library (objects are never shared across builds).
 * Kubernetes' recommended labels are here too: every generated object carries them, and
 * like every name here they need no JSON escape and are plain in YAML.
 */
#include <pthread.h>
#include <string.h>

#include "tree.h"

/* the names, their lengths, NUL-padded copies and "name": for compact JSON, all from keys.h's
 * list at compile time (a name too long for K8SMIG__STATIC_KEY_PAD fails to compile) */
#define KEY_TEXT_K(id) #id,
#define KEY_TEXT_L(id, text) text,
#define KEY_LEN_K(id) sizeof(#id) - 1,
#define KEY_LEN_L(id, text) sizeof(text) - 1,
#define KEY_JSON_K(id) "\"" #id "\":",
#define KEY_JSON_L(id, text) "\"" text "\":",
const char *const k8smig__static_keys[] = { K8SMIG__STATIC_KEY_LIST(KEY_TEXT_K, KEY_TEXT_L) };
const uint8_t k8smig__static_key_lens[] = { K8SMIG__STATIC_KEY_LIST(KEY_LEN_K, KEY_LEN_L) };
const char k8smig__static_keys_padded[][K8SMIG__STATIC_KEY_PAD] = { K8SMIG__STATIC_KEY_LIST(KEY_TEXT_K, KEY_TEXT_L) };
const char k8smig__static_keys_json[][K8SMIG__STATIC_KEY_PAD] = { K8SMIG__STATIC_KEY_LIST(KEY_JSON_K, KEY_JSON_L) };

#define N_KEYS ((size_t)K8SMIG__STATIC_KEY_COUNT)
const size_t k8smig__static_key_count = N_KEYS;
#define SLOTS 1024 /* power of two, well above N_KEYS: short probe chains */

/* Length and three characters: enough to spread some 160 names over 1024 slots, and it
 * costs the same for any key (this runs for every key parsed or set). */
static uint32_t hash(const char *k, size_t n)
{
	const unsigned char *u = (const unsigned char *)k;
	uint32_t h;
	if (n == 0)
		return 0;
	h = (uint32_t)n * 0x9E3779B1u;
	h ^= ((uint32_t)u[0] << 16 | (uint32_t)u[n - 1] << 8 | (uint32_t)u[n / 2]) * 0x85EBCA6Bu;
	return h ^ (h >> 15);
}

/* slot -> index + 1 (0 = empty), filled once */
static uint16_t slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static size_t min_len = SIZE_MAX, max_len; /* of the names in the table */
#define key_len k8smig__static_key_lens

static void fill_slots(void)
{
	size_t i;
	for (i = 0; i < N_KEYS; i++) {
		size_t n = key_len[i];
		uint32_t s = hash(k8smig__static_keys[i], n) & (SLOTS - 1);
		min_len = n < min_len ? n : min_len;
		max_len = n > max_len ? n : max_len;
		while (slots[s])
			s = (s + 1) & (SLOTS - 1);
		slots[s] = (uint16_t)(i + 1);
	}
}

static int slots_ready;

static void fill_once(void)
{
	fill_slots();
	__atomic_store_n(&slots_ready, 1, __ATOMIC_RELEASE);
}

int k8smig__static_key_find(const char *key, size_t len)
{
	uint32_t s;
	/* pthread_once only until the table is built: this runs for every key parsed or set */
	if (K8SMIG__UNLIKELY(!__atomic_load_n(&slots_ready, __ATOMIC_ACQUIRE)))
		pthread_once(&slots_once, fill_once);
	if (len < min_len || len > max_len)
		return -1;
	for (s = hash(key, len) & (SLOTS - 1); slots[s]; s = (s + 1) & (SLOTS - 1)) {
		const char *k = k8smig__static_keys[slots[s] - 1];
		/* lengths first: memcmp may read all len bytes of k */
		if (key_len[slots[s] - 1] == len && k8smig__equal_short(k, key, len)) /* every name is under 32 bytes */
			return slots[s] - 1;
	}
	return -1;
}
