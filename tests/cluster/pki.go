package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki holds the paths and bytes the harness creates fresh on every start.
type pki struct {
	caCert, caKey           string // files
	servingCert, servingKey string
	saKey                   string
	tokenFile               string

	caPEM                  []byte
	adminCertPEM, adminKey []byte // CN=admin-cert, O=system:masters
	kcmCertPEM, kcmKey     []byte // CN=system:kube-controller-manager, O=system:masters

	adminToken, viewerToken, rbacAdminToken string
	// kcmToken is the controller manager's identity (user
	// system:kube-controller-manager, group system:masters), as is its
	// certificate; empty in a pki.json of an older harness (then the cert).
	kcmToken string
}

// RSA keys everywhere: the most widely supported by TLS stacks the C and
// Python clients may be built against.
func makePKI(dir string) (*pki, error) {
	p := &pki{
		caCert: filepath.Join(dir, "ca.crt"), caKey: filepath.Join(dir, "ca.key"),
		servingCert: filepath.Join(dir, "apiserver.crt"), servingKey: filepath.Join(dir, "apiserver.key"),
		saKey:     filepath.Join(dir, "sa.key"),
		tokenFile: filepath.Join(dir, "tokens.csv"),
	}
	now := time.Now()
	ca := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "k8smig-harness-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caPEM, caKeyPEM, caKey, err := sign(ca, nil, nil)
	if err != nil {
		return nil, err
	}
	caX509, _ := x509.ParseCertificate(mustDER(caPEM))
	p.caPEM = caPEM

	leaf := func(cn string, orgs []string, usage x509.ExtKeyUsage, dns []string, ips []net.IP) ([]byte, []byte, error) {
		t := &x509.Certificate{
			Subject:     pkix.Name{CommonName: cn, Organization: orgs},
			NotBefore:   now.Add(-time.Hour),
			NotAfter:    now.AddDate(1, 0, 0),
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			ExtKeyUsage: []x509.ExtKeyUsage{usage},
			DNSNames:    dns,
			IPAddresses: ips,
		}
		c, k, _, err := sign(t, caX509, caKey)
		return c, k, err
	}
	servingPEM, servingKeyPEM, err := leaf("kube-apiserver", nil, x509.ExtKeyUsageServerAuth,
		[]string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		[]net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP("10.0.0.1")})
	if err != nil {
		return nil, err
	}
	if p.adminCertPEM, p.adminKey, err = leaf("admin-cert", []string{"system:masters"}, x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return nil, err
	}
	if p.kcmCertPEM, p.kcmKey, err = leaf("system:kube-controller-manager", []string{"system:masters"}, x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return nil, err
	}
	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	saKeyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(saKey)})

	p.adminToken, p.viewerToken, p.rbacAdminToken, p.kcmToken = randHex(24), randHex(24), randHex(24), randHex(24)
	// token,user,uid,"groups". "viewer" gets no RBAC grant at all (only what
	// system:authenticated has), so it is Forbidden on resources.
	// "rbac-admin" is cluster-admin through a ClusterRoleBinding but not in
	// system:masters, which the max-in-flight filter never throttles.
	// The controller manager and the harness's own client (pod readier,
	// node heartbeat) use tokens, not their certificates: the API server
	// verifies a client certificate's chain (an RSA signature check) on
	// every request, ~5% of its CPU during a rollout; a static token is a
	// map lookup.
	tokens := fmt.Sprintf("%s,admin,uid-admin,\"system:masters\"\n%s,viewer,uid-viewer\n%s,rbac-admin,uid-rbac-admin\n"+
		"%s,system:kube-controller-manager,uid-kcm,\"system:masters\"\n",
		p.adminToken, p.viewerToken, p.rbacAdminToken, p.kcmToken)

	files := []struct {
		path string
		data []byte
		mode os.FileMode
	}{
		{p.caCert, caPEM, 0o644},
		{p.caKey, caKeyPEM, 0o600},
		{p.servingCert, servingPEM, 0o644},
		{p.servingKey, servingKeyPEM, 0o600},
		{filepath.Join(dir, "admin.crt"), p.adminCertPEM, 0o644},
		{filepath.Join(dir, "admin.key"), p.adminKey, 0o600},
		{p.saKey, saKeyPEM, 0o600},
		{p.tokenFile, []byte(tokens), 0o600},
		{filepath.Join(dir, "admin.token"), []byte(p.adminToken + "\n"), 0o600},
		{filepath.Join(dir, "viewer.token"), []byte(p.viewerToken + "\n"), 0o600},
		{filepath.Join(dir, "rbac-admin.token"), []byte(p.rbacAdminToken + "\n"), 0o600},
	}
	for _, f := range files {
		if err := writeFileAtomic(f.path, f.data, f.mode); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sign creates a key for t and signs t with parentKey (self-signed if parent is nil).
func sign(t, parent *x509.Certificate, parentKey *rsa.PrivateKey) (certPEM, keyPEM []byte, key *rsa.PrivateKey, err error) {
	key, err = rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, nil, err
	}
	t.SerialNumber = serial
	if parent == nil {
		parent, parentKey = t, key
	}
	der, err := x509.CreateCertificate(rand.Reader, t, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, nil, nil, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return certPEM, keyPEM, key, nil
}

func mustDER(p []byte) []byte {
	b, _ := pem.Decode(p)
	return b.Bytes
}

func randHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// writeFileAtomic writes via a temporary file and rename, so readers never
// see a partial file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	if err := os.Chmod(tmp, mode); err != nil { // WriteFile keeps an old file's mode
		return err
	}
	return os.Rename(tmp, path)
}

// savedPKI is what -keep-pki reloads: the bytes and tokens that are not
// already in the dir's files under their own names.
type savedPKI struct {
	CAPEM, AdminCertPEM, AdminKey, KCMCertPEM, KCMKey []byte
	AdminToken, ViewerToken, RBACAdminToken           string
	KCMToken                                          string `json:",omitempty"`
}

// loadOrMakePKI: with keep, the PKI of an earlier start in dir (pki.json),
// so a restart on the same dir keeps every client's kubeconfig valid;
// otherwise, or when there is none yet, a fresh one (saved for next time).
func loadOrMakePKI(dir string, keep bool) (*pki, error) {
	state := filepath.Join(dir, "pki.json")
	if keep {
		if data, err := os.ReadFile(state); err == nil {
			var s savedPKI
			if err := json.Unmarshal(data, &s); err != nil {
				return nil, fmt.Errorf("%s: %w", state, err)
			}
			return &pki{
				caCert: filepath.Join(dir, "ca.crt"), caKey: filepath.Join(dir, "ca.key"),
				servingCert: filepath.Join(dir, "apiserver.crt"), servingKey: filepath.Join(dir, "apiserver.key"),
				saKey: filepath.Join(dir, "sa.key"), tokenFile: filepath.Join(dir, "tokens.csv"),
				caPEM: s.CAPEM, adminCertPEM: s.AdminCertPEM, adminKey: s.AdminKey, kcmCertPEM: s.KCMCertPEM, kcmKey: s.KCMKey,
				adminToken: s.AdminToken, viewerToken: s.ViewerToken, rbacAdminToken: s.RBACAdminToken, kcmToken: s.KCMToken,
			}, nil
		}
	}
	p, err := makePKI(dir)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(savedPKI{p.caPEM, p.adminCertPEM, p.adminKey, p.kcmCertPEM, p.kcmKey, p.adminToken, p.viewerToken, p.rbacAdminToken, p.kcmToken})
	if err != nil {
		return nil, err
	}
	return p, writeFileAtomic(state, data, 0o600)
}
