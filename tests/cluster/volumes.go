package main

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// runVolumeProvisioner stands in for a CSI provisioner (EBS, EFS...): every
// Pending PersistentVolumeClaim that names a storage class gets a PV of its
// size and access modes, pre-bound to it (claimRef), which the controller
// manager's PV binder then binds, as after dynamic provisioning. The PV is a
// hostPath under /nonexistent that no pod ever mounts (there is no kubelet).
func runVolumeProvisioner(ctx context.Context, c kubernetes.Interface) {
	factory := informers.NewSharedInformerFactory(c, 0)
	inf := factory.Core().V1().PersistentVolumeClaims().Informer()
	q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]())
	enqueue := func(obj any) {
		if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
			q.Add(key)
		}
	}
	inf.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: enqueue, UpdateFunc: func(_, obj any) { enqueue(obj) }})
	factory.Start(ctx.Done())
	go func() { <-ctx.Done(); q.ShutDown() }()
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		return
	}
	logf("volume provisioner running")
	for {
		key, quit := q.Get()
		if quit {
			return
		}
		if err := provision(ctx, c, key); err != nil && ctx.Err() == nil {
			logf("pvc %s: %v (will retry)", key, err)
			q.AddRateLimited(key)
		} else {
			q.Forget(key)
		}
		q.Done(key)
	}
}

func provision(ctx context.Context, c kubernetes.Interface, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	pvc, err := c.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if pvc.Status.Phase != corev1.ClaimPending || pvc.Spec.VolumeName != "" || pvc.DeletionTimestamp != nil ||
		pvc.Spec.StorageClassName == nil || *pvc.Spec.StorageClassName == "" {
		return nil
	}
	size := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	if size.IsZero() {
		size = resource.MustParse("1Gi")
	}
	hostPathType := corev1.HostPathDirectoryOrCreate
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        "pvc-" + string(pvc.UID),
			Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": "k8smig-harness"},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   pvc.Spec.AccessModes,
			StorageClassName:              *pvc.Spec.StorageClassName,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			VolumeMode:                    pvc.Spec.VolumeMode,
			ClaimRef: &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: ns, Name: name, UID: pvc.UID, ResourceVersion: pvc.ResourceVersion},
			PersistentVolumeSource: corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{
				Path: "/nonexistent/k8smig-pv/" + string(pvc.UID), Type: &hostPathType}},
		},
	}
	_, err = c.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{FieldManager: fieldManager})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err == nil {
		logf("pvc %s: provisioned %s (%s)", key, pv.Name, size.String())
		// the PV binder takes it from here
	}
	return err
}
