/*
 * k8smig.h - libk8smig: model, serialize, migrate and apply Kubernetes
 * resources for an ECS to EKS migration. The only header applications include.
 */
#ifndef K8SMIG_H
#define K8SMIG_H

#include "k8smig/common.h"
#include "k8smig/version.h"
#include "k8smig/errors.h"
#include "k8smig/object.h"
#include "k8smig/serialize.h"

#endif /* K8SMIG_H */
