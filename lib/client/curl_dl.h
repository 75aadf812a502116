/*
 * lib/client/curl_dl.h - libcurl, loaded when the first client needs it.
 *
 * libcurl brings some 35 shared libraries (TLS, HTTP/2, LDAP, SSH, ...):
 * linking them cost a process about 15 ms at start-up, which every use of the
 * model, the serializers, render and generate paid without ever sending a
 * request. The client layer calls libcurl through this table instead, filled
 * by dlopen("libcurl.so.4") on first use. Include this instead of curl.h.
 */
#ifndef K8SMIG_LIB_CURL_DL_H
#define K8SMIG_LIB_CURL_DL_H

#define CURL_DISABLE_TYPECHECK 1 /* the typecheck macros would hide our table */
#include <curl/curl.h>

typedef struct k8smig__curl_api {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_perform)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
	CURLSH *(*share_init)(void);
	CURLSHcode (*share_cleanup)(CURLSH *);
	CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
} k8smig__curl_api;

extern k8smig__curl_api k8smig__curl;

/* Load libcurl once (thread-safe). 0, or K8SMIG_ETRANSPORT naming what is missing. */
int k8smig__curl_load(void);

/* curl.h wraps these four in same-name macros to count arguments */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#undef curl_share_setopt

#define curl_global_init k8smig__curl.global_init
#define curl_global_cleanup k8smig__curl.global_cleanup
#define curl_easy_init k8smig__curl.easy_init
#define curl_easy_cleanup k8smig__curl.easy_cleanup
#define curl_easy_setopt k8smig__curl.easy_setopt
#define curl_easy_getinfo k8smig__curl.easy_getinfo
#define curl_easy_perform k8smig__curl.easy_perform
#define curl_easy_strerror k8smig__curl.easy_strerror
#define curl_easy_escape k8smig__curl.easy_escape
#define curl_free k8smig__curl.free
#define curl_slist_append k8smig__curl.slist_append
#define curl_slist_free_all k8smig__curl.slist_free_all
#define curl_multi_init k8smig__curl.multi_init
#define curl_multi_cleanup k8smig__curl.multi_cleanup
#define curl_multi_setopt k8smig__curl.multi_setopt
#define curl_multi_add_handle k8smig__curl.multi_add_handle
#define curl_multi_remove_handle k8smig__curl.multi_remove_handle
#define curl_multi_perform k8smig__curl.multi_perform
#define curl_multi_info_read k8smig__curl.multi_info_read
#define curl_multi_poll k8smig__curl.multi_poll
#define curl_share_init k8smig__curl.share_init
#define curl_share_cleanup k8smig__curl.share_cleanup
#define curl_share_setopt k8smig__curl.share_setopt

#endif
