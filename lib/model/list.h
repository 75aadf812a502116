/* lib/model/list.h - layout of k8smig_object_list. */
#ifndef K8SMIG_LIB_LIST_H
#define K8SMIG_LIB_LIST_H

#include "tree.h"

struct k8smig_object_list {
	k8smig_object **items;
	size_t n, cap;
};

#endif
