/*
 * lib/client/curl_dl.c - fill the libcurl table on first use (see curl_dl.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "../core/core.h"
#include "curl_dl.h"

k8smig__curl_api k8smig__curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];

#define SYM(field, name)                                                           \
	do {                                                                       \
		*(void **)(&k8smig__curl.field) = dlsym(h, name);                  \
		if (!k8smig__curl.field) {                                         \
			snprintf(load_error, sizeof(load_error), "libcurl lacks %s", name); \
			return;                                                    \
		}                                                                  \
	} while (0)

static void load(void)
{
	/* never closed: the table stays valid for the life of the process */
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(load_error, sizeof(load_error), "cannot load libcurl.so.4: %s", dlerror());
		return;
	}
	SYM(global_init, "curl_global_init");
	SYM(global_cleanup, "curl_global_cleanup");
	SYM(easy_init, "curl_easy_init");
	SYM(easy_cleanup, "curl_easy_cleanup");
	SYM(easy_setopt, "curl_easy_setopt");
	SYM(easy_getinfo, "curl_easy_getinfo");
	SYM(easy_perform, "curl_easy_perform");
	SYM(easy_strerror, "curl_easy_strerror");
	SYM(easy_escape, "curl_easy_escape");
	SYM(free, "curl_free");
	SYM(slist_append, "curl_slist_append");
	SYM(slist_free_all, "curl_slist_free_all");
	SYM(multi_init, "curl_multi_init");
	SYM(multi_cleanup, "curl_multi_cleanup");
	SYM(multi_setopt, "curl_multi_setopt");
	SYM(multi_add_handle, "curl_multi_add_handle");
	SYM(multi_remove_handle, "curl_multi_remove_handle");
	SYM(multi_perform, "curl_multi_perform");
	SYM(multi_info_read, "curl_multi_info_read");
	SYM(multi_poll, "curl_multi_poll"); /* libcurl >= 7.66 */
	SYM(share_init, "curl_share_init");
	SYM(share_cleanup, "curl_share_cleanup");
	SYM(share_setopt, "curl_share_setopt");
}

int k8smig__curl_load(void)
{
	pthread_once(&once, load);
	if (load_error[0])
		return k8smig__error_set(K8SMIG_ETRANSPORT, "", "%s", load_error);
	return 0;
}
