package main

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/retry"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/component-base/version"
)

// nodeName is the one Node of the cluster, kept alive by the harness. Pods
// are bound to it because both endpoint controllers reject pods without a
// node (EndpointSlices skip them, Endpoints fail validation), retrying
// forever with Warning events; with a Node, Services get real endpoints and
// DaemonSets real pods.
const nodeName = "k8smig-node"

// registerNode creates (or refreshes) the Node and keeps its Lease and Ready
// condition fresh until ctx ends, so the node-lifecycle controller never
// marks it NotReady (which would make every pod unready and evict them).
func registerNode(ctx context.Context, c kubernetes.Interface) error {
	now := metav1.Now()
	res := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("8"),
		corev1.ResourceMemory:           resource.MustParse("32Gi"),
		corev1.ResourcePods:             resource.MustParse("250"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: nodeName, Labels: map[string]string{
			"kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux", "kubernetes.io/arch": runtime.GOARCH,
		}},
		Status: corev1.NodeStatus{
			Capacity: res, Allocatable: res,
			Conditions: nodeConditions(now),
			// Loopback: whatever dials the "kubelet" (logs, exec) gets a
			// quick connection refused and no traffic leaves the machine.
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "127.0.0.1"}, {Type: corev1.NodeHostName, Address: nodeName}},
			NodeInfo: corev1.NodeSystemInfo{
				KubeletVersion: version.Get().GitVersion, KubeProxyVersion: "",
				OperatingSystem: "linux", Architecture: runtime.GOARCH,
				ContainerRuntimeVersion: "containerd://2.1.0", OSImage: "k8smig test harness",
			},
		},
	}
	if _, err := c.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{FieldManager: fieldManager}); apierrors.IsAlreadyExists(err) {
		err = heartbeat(ctx, c) // left by an earlier run in the same dir
		if err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("create node: %w", err)
	}
	if err := renewLease(ctx, c); err != nil {
		return err
	}
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := renewLease(ctx, c); err != nil && ctx.Err() == nil {
				logf("node lease: %v", err)
			}
			if err := heartbeat(ctx, c); err != nil && ctx.Err() == nil {
				logf("node status: %v", err)
			}
		}
	}()
	logf("node %s registered", nodeName)
	return nil
}

func nodeConditions(now metav1.Time) []corev1.NodeCondition {
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, Reason: reason, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	return []corev1.NodeCondition{
		cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory"),
		cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure"),
		cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID"),
		cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady"),
	}
}

func heartbeat(ctx context.Context, c kubernetes.Interface) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		n, err := c.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		now := metav1.Now()
		fresh := nodeConditions(now)
		for i := range fresh {
			for _, old := range n.Status.Conditions {
				if old.Type == fresh[i].Type && old.Status == fresh[i].Status {
					fresh[i].LastTransitionTime = old.LastTransitionTime
				}
			}
		}
		n.Status.Conditions = fresh
		_, err = c.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{FieldManager: fieldManager})
		return err
	})
}

func renewLease(ctx context.Context, c kubernetes.Interface) error {
	leases := c.CoordinationV1().Leases(corev1.NamespaceNodeLease)
	now := metav1.NewMicroTime(time.Now())
	holder, duration := nodeName, int32(40)
	l, err := leases.Get(ctx, nodeName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = leases.Create(ctx, &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Name: nodeName},
			Spec:       coordinationv1.LeaseSpec{HolderIdentity: &holder, LeaseDurationSeconds: &duration, RenewTime: &now},
		}, metav1.CreateOptions{FieldManager: fieldManager})
		return err
	} else if err != nil {
		return err
	}
	l.Spec.HolderIdentity, l.Spec.LeaseDurationSeconds, l.Spec.RenewTime = &holder, &duration, &now
	_, err = leases.Update(ctx, l, metav1.UpdateOptions{FieldManager: fieldManager})
	return err
}

// runPodReadier stands in for scheduler + kubelet: it binds every unbound
// Pending pod (without scheduling gates) to the node and marks it Running
// and Ready; finishes pods that do not restart (restartPolicy Never or
// OnFailure, e.g. Jobs) a second later as Succeeded; and completes graceful
// deletion at once, so scale-down and namespace deletion never wait.
//
// It decides from its informer's cache, as a scheduler and a kubelet do,
// and never GETs a pod: a rollout of 100 Deployments cost ~380 pod GETs
// (one per informer event), each a quorum read from etcd. A decision made
// on a stale copy is harmless: a binding of a pod that is already bound, or
// a status update with an old resourceVersion, fails with a conflict, and
// the informer brings the newer pod back into the queue.
func runPodReadier(ctx context.Context, c kubernetes.Interface) {
	factory := informers.NewSharedInformerFactory(c, 0)
	podInf := factory.Core().V1().Pods()
	inf := podInf.Informer()
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
	logf("pod readier running, %d workers", podWorkers)
	lister := podInf.Lister()
	for i := 1; i < podWorkers; i++ {
		go podWorker(ctx, c, lister, q)
	}
	podWorker(ctx, c, lister, q)
}

// podWorkers pods are moved at once (the queue never hands the same pod to
// two workers): a kubelet per node works on its pods in parallel, and one
// worker doing each pod's bind and status update in turn made a rollout of
// 100 Deployments wait seconds for the readier alone.
const podWorkers = 8

func podWorker(ctx context.Context, c kubernetes.Interface, lister corelisters.PodLister, q workqueue.TypedRateLimitingInterface[string]) {
	for {
		key, quit := q.Get()
		if quit {
			return
		}
		again, err := syncPod(ctx, c, lister, key)
		switch {
		case err != nil && ctx.Err() == nil:
			logf("pod %s: %v (will retry)", key, err)
			q.AddRateLimited(key)
		case again > 0:
			q.Forget(key)
			q.AddAfter(key, again)
		default:
			q.Forget(key)
		}
		q.Done(key)
	}
}

// syncPod moves one pod one step; it returns when to look at it again.
func syncPod(ctx context.Context, c kubernetes.Interface, lister corelisters.PodLister, key string) (time.Duration, error) {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return 0, nil
	}
	pods := c.CoreV1().Pods(ns)
	cached, err := lister.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	pod := cached.DeepCopy() // never modify the informer's copy
	switch {
	case pod.DeletionTimestamp != nil:
		if pod.Spec.NodeName != nodeName {
			return 0, nil // unbound pods are deleted by the apiserver itself
		}
		// What a kubelet does once the containers have stopped.
		zero := int64(0)
		err := pods.Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero, Preconditions: &metav1.Preconditions{UID: &pod.UID}})
		return 0, ignoreStale(err)

	case pod.Spec.NodeName == "" && pod.Status.Phase == corev1.PodPending && len(pod.Spec.SchedulingGates) == 0:
		err := pods.Bind(ctx, &corev1.Binding{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: pod.UID},
			Target:     corev1.ObjectReference{Kind: "Node", Name: nodeName},
		}, metav1.CreateOptions{FieldManager: fieldManager})
		return 0, ignoreStale(err) // the informer brings the bound pod back

	case pod.Spec.NodeName != nodeName:
		return 0, nil

	case pod.Status.Phase == corev1.PodPending && heldImage(pod) != "":
		return 0, holdPod(ctx, c, pod, heldImage(pod))

	case pod.Status.Phase == corev1.PodPending:
		st := runningStatus(pod)
		pod.Status = *st
		_, err = pods.UpdateStatus(ctx, pod, metav1.UpdateOptions{FieldManager: fieldManager})
		if err == nil && pod.Spec.RestartPolicy != corev1.RestartPolicyAlways {
			return time.Second, nil
		}
		return 0, ignoreStale(err)

	case pod.Status.Phase == corev1.PodRunning && pod.Spec.RestartPolicy != corev1.RestartPolicyAlways:
		if started := pod.Status.StartTime; started != nil && time.Since(started.Time) < time.Second {
			return time.Second - time.Since(started.Time), nil
		}
		succeed(pod)
		_, err = pods.UpdateStatus(ctx, pod, metav1.UpdateOptions{FieldManager: fieldManager})
		return 0, ignoreStale(err)
	}
	return 0, nil
}

// ignoreStale: not found (the pod is gone) and conflict (our copy was
// stale; the informer will bring the newer one back into the queue) are
// not errors of the readier.
func ignoreStale(err error) error {
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	return err
}

// heldRegistry marks images that never pull: a pod with a container image
// under it stays Pending with ImagePullBackOff (and a Warning event, as a
// kubelet writes), so tests can watch a rollout that never completes.
// ".invalid" is reserved (RFC 2606): no real image can live there.
const heldRegistry = "k8smig.invalid/"

func heldImage(pod *corev1.Pod) string {
	for _, ctr := range append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...) {
		if strings.HasPrefix(ctr.Image, heldRegistry) {
			return ctr.Image
		}
	}
	return ""
}

// holdPod writes what a kubelet reports for an image it cannot pull: the
// pod Pending, its containers Waiting (ImagePullBackOff), not Ready, and a
// Warning event "Failed" on the pod. Done once per pod.
func holdPod(ctx context.Context, c kubernetes.Interface, pod *corev1.Pod, image string) error {
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.State.Waiting != nil && cs.State.Waiting.Reason == "ImagePullBackOff" {
			return nil
		}
	}
	now := metav1.Now()
	msg := fmt.Sprintf("Back-off pulling image %q", image)
	st := pod.Status.DeepCopy()
	st.HostIP, st.HostIPs = "127.0.0.1", []corev1.HostIP{{IP: "127.0.0.1"}}
	st.StartTime = &now
	st.Conditions = []corev1.PodCondition{
		{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: "containers with unready status", LastTransitionTime: now},
		{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: "containers with unready status", LastTransitionTime: now},
	}
	st.ContainerStatuses = nil
	for _, ctr := range pod.Spec.Containers {
		st.ContainerStatuses = append(st.ContainerStatuses, corev1.ContainerStatus{
			Name: ctr.Name, Image: ctr.Image,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: msg}},
		})
	}
	pod.Status = *st
	if _, err := c.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, pod, metav1.UpdateOptions{FieldManager: fieldManager}); err != nil {
		return ignoreStale(err) // a stale copy: the informer brings the pod back
	}
	_, err := c.CoreV1().Events(pod.Namespace).Create(ctx, &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{GenerateName: pod.Name + ".", Namespace: pod.Namespace},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID, APIVersion: "v1"},
		Reason:         "Failed", Type: corev1.EventTypeWarning,
		Message:        fmt.Sprintf("Failed to pull image %q: rpc error: code = NotFound desc = %s: not found", image, image),
		Source:         corev1.EventSource{Component: "kubelet", Host: nodeName},
		FirstTimestamp: now, LastTimestamp: now, Count: 1,
	}, metav1.CreateOptions{FieldManager: fieldManager})
	return ignoreNotFound(err)
}

func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

var podSeq atomic.Uint32

// nextPodIP hands out 10.244.x.y addresses. Nothing ever connects to them
// (there is no kube-proxy); they exist so endpoints look real.
func nextPodIP() string {
	n := podSeq.Add(1)
	return net.IPv4(10, 244, byte(n/250%256), byte(n%250+1)).String()
}

func runningStatus(pod *corev1.Pod) *corev1.PodStatus {
	now := metav1.Now()
	ip := nextPodIP()
	st := pod.Status.DeepCopy()
	st.Phase = corev1.PodRunning
	st.ObservedGeneration = pod.Generation
	st.StartTime = &now
	st.HostIP, st.HostIPs = "127.0.0.1", []corev1.HostIP{{IP: "127.0.0.1"}}
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
	return st
}

// succeed ends a run-to-completion pod: every container exited 0.
func succeed(pod *corev1.Pod) {
	now := metav1.Now()
	st := &pod.Status
	st.Phase = corev1.PodSucceeded
	for i := range st.Conditions {
		switch st.Conditions[i].Type {
		case corev1.PodReady, corev1.ContainersReady, corev1.PodReadyToStartContainers:
			st.Conditions[i].Status, st.Conditions[i].Reason, st.Conditions[i].LastTransitionTime = corev1.ConditionFalse, "PodCompleted", now
		}
	}
	for _, list := range [][]corev1.ContainerStatus{st.ContainerStatuses, st.InitContainerStatuses} {
		for i := range list {
			s := &list[i]
			if s.State.Running == nil {
				continue
			}
			s.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: s.State.Running.StartedAt, FinishedAt: now, ContainerID: s.ContainerID}}
			s.Ready, s.Started = false, new(bool)
		}
	}
}
