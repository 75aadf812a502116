/*
 * k8smig/quantity.h - Kubernetes resource quantities as values.
 *
 * A quantity is what the API server accepts for resources: a signed decimal
 * number with an optional exponent ("1e3") or suffix: binary (Ki Mi Gi Ti Pi
 * Ei) or decimal (n u m "" k M G T P E). It behaves like
 * k8s.io/apimachinery/pkg/api/resource.Quantity: values are exact decimals
 * (mantissa * 10^scale) rounded up to nano precision, and the canonical
 * string is the one the API server writes back ("0.5" -> "500m",
 * "1.5Gi" -> "1536Mi", "1000" -> "1k").
 *
 * Differences, all on the strict side: leading or trailing blanks are an
 * error (ParseQuantity rejects them; only the JSON decoder trims them), a
 * number needs at least one digit ("Mi" and "." are errors, as in the
 * OpenAPI quantity pattern CRDs use), and values beyond what an int64
 * mantissa with an exponent up to 10^30 holds are EINVAL instead of being
 * capped.
 */
#ifndef K8SMIG_QUANTITY_H
#define K8SMIG_QUANTITY_H

#include "common.h"

K8SMIG_BEGIN_DECL

/** How a quantity was written; canonical output keeps the family. */
typedef enum k8smig_quantity_format {
	K8SMIG_QUANTITY_DECIMAL_SI = 0,   /**< m, k, M, G, ... or none */
	K8SMIG_QUANTITY_BINARY_SI = 1,    /**< Ki, Mi, Gi, ... */
	K8SMIG_QUANTITY_DECIMAL_EXPONENT = 2 /**< 1e3 */
} k8smig_quantity_format;

/**
 * A parsed quantity: value = mantissa * 10^scale, exact. After parsing the
 * mantissa has no trailing zeros (0 is mantissa 0, scale 0) and scale is in
 * [-9, 30]. Transparent and copyable.
 */
typedef struct k8smig_quantity {
	int64_t mantissa;
	int32_t scale;
	k8smig_quantity_format format;
} k8smig_quantity;

/**
 * Parse a quantity string ("500m", "0.5", "512Mi", "1G", "1e3").
 * Digits beyond nano precision round up, away from zero (as Kubernetes).
 * @param out the value; zeroed on failure
 * @return 0; K8SMIG_EINVAL (malformed, or out of the representable range;
 *         the error path is "")
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_quantity_parse(k8smig_quantity *out, const char *text);

/**
 * Canonical string, as the API server normalises it ("0.5" -> "500m",
 * "1024Mi" -> "1Gi", "1000m" -> "1", "1e3" -> "1e3", "0.5Ki" -> "512").
 * @param out (owned) free with k8smig_free()
 * @return 0, K8SMIG_EINVAL (NULL or malformed struct), K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_quantity_format_str(char **out, const k8smig_quantity *q);

/**
 * Parse text and return its canonical string in one step.
 * @param out (owned) free with k8smig_free()
 * @return 0, K8SMIG_EINVAL (as k8smig_quantity_parse()), K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_quantity_canonical(char **out, const char *text);

/** -1, 0 or 1 as a < b, a == b, a > b (by value, whatever the format; NULL sorts first). @since 0.1 */
K8SMIG_EXTERN(int) k8smig_quantity_cmp(const k8smig_quantity *a, const k8smig_quantity *b);

/**
 * Value in milli-units, rounded up away from zero (as Kubernetes'
 * MilliValue()); saturates at INT64_MIN/INT64_MAX. @since 0.1
 */
K8SMIG_EXTERN(int64_t) k8smig_quantity_milli(const k8smig_quantity *q);

/** Value in whole units, rounded up away from zero (as Kubernetes' Value()); saturates. @since 0.1 */
K8SMIG_EXTERN(int64_t) k8smig_quantity_value(const k8smig_quantity *q);

/**
 * ECS CPU units to a CPU quantity: 1024 units = 1 vCPU, so 512 -> "500m",
 * 256 -> "250m", 1024 -> "1", 4096 -> "4". Millicores round up, so a pod
 * never asks for less than the task had (1 unit -> "1m").
 * @param out (owned) the canonical string
 * @return 0; K8SMIG_EINVAL (negative, or more than 1,048,576 units); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_quantity_from_ecs_cpu(char **out, int64_t cpu_units);

/**
 * ECS memory (MiB) to a memory quantity: 512 -> "512Mi", 1024 -> "1Gi",
 * 1536 -> "1536Mi".
 * @param out (owned) the canonical string
 * @return 0; K8SMIG_EINVAL (negative, or 2^43 MiB and more); K8SMIG_ENOMEM
 * @since 0.1
 */
K8SMIG_EXTERN(k8smig_status) k8smig_quantity_from_ecs_memory(char **out, int64_t mib);

K8SMIG_END_DECL

#endif /* K8SMIG_QUANTITY_H */
