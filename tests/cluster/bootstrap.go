package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensions "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

const fieldManager = "k8smig-harness"

type clients struct {
	core kubernetes.Interface
	ext  apiextensions.Interface
}

func server(port int) string { return "https://127.0.0.1:" + strconv.Itoa(port) }

// adminRESTConfig uses the admin token (system:masters; a token rather
// than the admin certificate: see makePKI) and protobuf, as the controller
// manager does, which costs the API server less than JSON.
func adminRESTConfig(port int, p *pki) *rest.Config {
	return &rest.Config{
		Host:            server(port),
		TLSClientConfig: rest.TLSClientConfig{CAData: p.caPEM},
		BearerToken:     p.adminToken,
		QPS:             200,
		Burst:           400,
		UserAgent:       fieldManager,
		ContentConfig: rest.ContentConfig{
			AcceptContentTypes: "application/vnd.kubernetes.protobuf,application/json",
			ContentType:        "application/vnd.kubernetes.protobuf",
		},
	}
}

// waitReady waits for /readyz and the default namespace, then grants
// rbac-admin its role. It fails early if the apiserver command returns.
func waitReady(ctx context.Context, o options, p *pki, apiDone <-chan struct{}) (*clients, error) {
	cfg := adminRESTConfig(o.port, p)
	core, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	ext, err := apiextensions.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	var last error
	poll := func(what string, cond func(context.Context) error) error {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if last = cond(ctx); last == nil {
				return nil
			}
			select {
			case <-apiDone:
				return fmt.Errorf("%w while waiting for %s", errAPIServerExited, what)
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w (last error: %v)", what, ctx.Err(), last)
			case <-t.C:
			}
		}
	}
	if err := poll("/readyz", func(ctx context.Context) error {
		_, err := core.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	if err := poll("namespace default", func(ctx context.Context) error {
		_, err := core.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{})
		return err
	}); err != nil {
		return nil, err
	}
	crb := &rbacv1.ClusterRoleBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: "k8smig-harness:rbac-admin"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects:   []rbacv1.Subject{{APIGroup: "rbac.authorization.k8s.io", Kind: "User", Name: "rbac-admin"}},
	}
	if _, err := core.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return nil, fmt.Errorf("rbac-admin binding: %w", err)
	}
	logf("kube-apiserver ready")
	return &clients{core: core, ext: ext}, nil
}

// installCRDs server-side-applies every CRD in dir/*.yaml (multi-document
// files allowed) and waits until each is Established.
func installCRDs(ctx context.Context, c *clients, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var obj map[string]any
			if err := dec.Decode(&obj); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			if obj == nil { // empty document
				continue
			}
			meta, _ := obj["metadata"].(map[string]any)
			name, _ := meta["name"].(string)
			if obj["kind"] != "CustomResourceDefinition" || name == "" {
				return fmt.Errorf("%s: not a named CustomResourceDefinition", f)
			}
			body, err := json.Marshal(obj) // sent as written: no typed round trip
			if err != nil {
				return err
			}
			force := true
			if _, err := c.ext.ApiextensionsV1().CustomResourceDefinitions().Patch(ctx, name, types.ApplyPatchType, body,
				metav1.PatchOptions{FieldManager: fieldManager, Force: &force}); err != nil {
				return fmt.Errorf("%s: apply %s: %w", f, name, err)
			}
			names = append(names, name)
		}
	}
	for _, name := range names {
		err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
			crd, err := c.ext.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return false, nil
			}
			for _, cond := range crd.Status.Conditions {
				if cond.Type == apiextensionsv1.Established && cond.Status == apiextensionsv1.ConditionTrue {
					return true, nil
				}
			}
			return false, nil
		})
		if err != nil {
			return fmt.Errorf("%s not Established: %w", name, err)
		}
	}
	logf("%d CRDs established", len(names))
	return nil
}

// writeKubeconfig writes the client kubeconfig; its appearance is the
// "ready" signal, hence the atomic rename.
func writeKubeconfig(path string, port int, p *pki) error {
	cfg := clientcmdapi.NewConfig()
	const cluster = "k8smig-harness"
	cfg.Clusters[cluster] = &clientcmdapi.Cluster{Server: server(port), CertificateAuthorityData: p.caPEM}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: p.adminToken}
	cfg.AuthInfos["admin-cert"] = &clientcmdapi.AuthInfo{ClientCertificateData: p.adminCertPEM, ClientKeyData: p.adminKey}
	cfg.AuthInfos["viewer"] = &clientcmdapi.AuthInfo{Token: p.viewerToken}
	cfg.AuthInfos["rbac-admin"] = &clientcmdapi.AuthInfo{Token: p.rbacAdminToken}
	for ctxName, user := range map[string]string{"token": "admin", "cert": "admin-cert", "viewer": "viewer", "rbac-admin": "rbac-admin"} {
		cfg.Contexts[ctxName] = &clientcmdapi.Context{Cluster: cluster, AuthInfo: user}
	}
	cfg.CurrentContext = "token"
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data, 0o600)
}

// kcmKubeconfig is the controller manager's own identity: its token (see
// makePKI), or its client certificate with the PKI of an older harness.
func kcmKubeconfig(path string, port int, p *pki) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["local"] = &clientcmdapi.Cluster{Server: server(port), CertificateAuthorityData: p.caPEM}
	cfg.AuthInfos["kcm"] = &clientcmdapi.AuthInfo{Token: p.kcmToken}
	if p.kcmToken == "" {
		cfg.AuthInfos["kcm"] = &clientcmdapi.AuthInfo{ClientCertificateData: p.kcmCertPEM, ClientKeyData: p.kcmKey}
	}
	cfg.Contexts["kcm"] = &clientcmdapi.Context{Cluster: "local", AuthInfo: "kcm"}
	cfg.CurrentContext = "kcm"
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data, 0o600)
}
