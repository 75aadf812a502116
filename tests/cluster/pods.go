package main

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// runPodReadier stands in for scheduler + kubelet: every unbound Pending pod
// is marked Running and Ready. The pods stay unbound (no nodeName), which
// makes the apiserver delete them at once, so scale-down and namespace
// deletion never wait for a kubelet.
func runPodReadier(ctx context.Context, c kubernetes.Interface) {
	factory := informers.NewSharedInformerFactoryWithOptions(c, 0,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.FieldSelector = "spec.nodeName=,status.phase=Pending"
		}))
	inf := factory.Core().V1().Pods().Informer()
	q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]())
	enqueue := func(obj any) {
		if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
			q.Add(key)
		}
	}
	inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    enqueue,
		UpdateFunc: func(_, obj any) { enqueue(obj) },
	})
	factory.Start(ctx.Done())
	go func() { <-ctx.Done(); q.ShutDown() }()
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		return
	}
	logf("pod readier running")
	for {
		key, quit := q.Get()
		if quit {
			return
		}
		if err := markReady(ctx, c, key); err != nil && ctx.Err() == nil {
			logf("pod %s: %v (will retry)", key, err)
			q.AddRateLimited(key)
		} else {
			q.Forget(key)
		}
		q.Done(key)
	}
}

var podSeq atomic.Uint32

// nextPodIP hands out 10.244.x.y addresses. Nothing ever connects to them;
// they exist so EndpointSlices look real (loopback IPs would be rejected).
func nextPodIP() string {
	n := podSeq.Add(1)
	return net.IPv4(10, 244, byte(n/250%256), byte(n%250+1)).String()
}

func markReady(ctx context.Context, c kubernetes.Interface, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	pod, err := c.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if pod.Spec.NodeName != "" || pod.Status.Phase != corev1.PodPending || pod.DeletionTimestamp != nil {
		return nil
	}
	now := metav1.Now()
	ip := nextPodIP()
	st := &pod.Status
	st.Phase = corev1.PodRunning
	st.ObservedGeneration = pod.Generation
	st.StartTime = &now
	st.PodIP, st.PodIPs = ip, []corev1.PodIP{{IP: ip}}
	st.Conditions = nil
	for _, t := range []corev1.PodConditionType{corev1.PodReadyToStartContainers, corev1.PodScheduled, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReady} {
		st.Conditions = append(st.Conditions, corev1.PodCondition{Type: t, Status: corev1.ConditionTrue, LastTransitionTime: now, ObservedGeneration: pod.Generation})
	}
	running := func(ctr corev1.Container) corev1.ContainerStatus {
		started := true
		return corev1.ContainerStatus{
			Name: ctr.Name, Image: ctr.Image, ImageID: ctr.Image,
			ContainerID: "containerd://" + randHex(32),
			Ready:       true, Started: &started,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
		}
	}
	st.InitContainerStatuses = nil
	for _, ctr := range pod.Spec.InitContainers {
		s := running(ctr)
		if ctr.RestartPolicy == nil || *ctr.RestartPolicy != corev1.ContainerRestartPolicyAlways {
			// A classic init container has run to completion; sidecars keep running.
			s.Ready, s.Started = false, new(bool)
			s.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: now, FinishedAt: now, ContainerID: s.ContainerID}}
		}
		st.InitContainerStatuses = append(st.InitContainerStatuses, s)
	}
	st.ContainerStatuses = nil
	for _, ctr := range pod.Spec.Containers {
		st.ContainerStatuses = append(st.ContainerStatuses, running(ctr))
	}
	if _, err := c.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{FieldManager: fieldManager}); err != nil {
		if apierrors.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("update status: %w", err)
	}
	return nil
}
