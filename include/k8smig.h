/*
 * k8smig.h - libk8smig: model, serialize, migrate and apply Kubernetes
 * resources for an ECS to EKS migration. The only header applications include.
 */
#ifndef K8SMIG_H
#define K8SMIG_H

#include "k8smig/common.h"
#include "k8smig/version.h"
#include "k8smig/global.h"
#include "k8smig/errors.h"
#include "k8smig/object.h"
#include "k8smig/serialize.h"
#include "k8smig/quantity.h"
#include "k8smig/identity.h"
#include "k8smig/config.h"
#include "k8smig/storage.h"
#include "k8smig/workloads.h"
#include "k8smig/networking.h"
#include "k8smig/scaling.h"
#include "k8smig/monitoring.h"
#include "k8smig/kustomize.h"
#include "k8smig/validate.h"
#include "k8smig/client.h"
#include "k8smig/migrate.h"
#include "k8smig/render.h"

#endif /* K8SMIG_H */
