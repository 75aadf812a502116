/*
 * lib/core/init.c - version and counted process-wide init.
 */
#include <pthread.h>

#include "core.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_count;

/* The client layer registers its global setup here, so core stays free of libcurl. */
int k8smig__global_init_client(void) __attribute__((weak));
void k8smig__global_cleanup_client(void) __attribute__((weak));

const char *k8smig_version(void)
{
	return K8SMIG_VERSION;
}

int k8smig_init(void)
{
	int rc;
	pthread_mutex_lock(&init_lock);
	if (init_count == 0 && k8smig__global_init_client && k8smig__global_init_client() < 0) {
		int code = k8smig_error_last()->code ? k8smig_error_last()->code : K8SMIG_ERROR;
		pthread_mutex_unlock(&init_lock);
		if (code == K8SMIG_ERROR)
			k8smig__error_set(K8SMIG_ERROR, "", "global initialisation failed");
		return code;
	}
	rc = ++init_count;
	pthread_mutex_unlock(&init_lock);
	return rc;
}

bool k8smig__initialised(void)
{
	return __atomic_load_n(&init_count, __ATOMIC_ACQUIRE) > 0;
}

int k8smig_shutdown(void)
{
	int rc;
	pthread_mutex_lock(&init_lock);
	if (init_count == 0) {
		pthread_mutex_unlock(&init_lock);
		return k8smig__error_set(K8SMIG_ERROR, "", "k8smig_shutdown() without k8smig_init()");
	}
	rc = --init_count;
	if (rc == 0 && k8smig__global_cleanup_client)
		k8smig__global_cleanup_client();
	pthread_mutex_unlock(&init_lock);
	return rc;
}
