package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

type etcdServer struct {
	e        *embed.Etcd
	endpoint string // unix:///abs/path/etcd.sock
	sockDir  string // removed on stop when it is a temp dir
	logLevel zap.AtomicLevel
}

// startEtcd runs a single-member etcd in-process. Clients reach it only over
// a unix socket; the peer listener is on an ephemeral loopback port and is
// never dialed (never 2379/2380, which a real etcd on the machine may hold).
func startEtcd(dir string) (*etcdServer, error) {
	data := filepath.Join(dir, "etcd")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(data, 0o700); err != nil { // etcd refuses looser modes
		return nil, err
	}
	s := &etcdServer{}
	sock := filepath.Join(dir, "etcd.sock")
	if len(sock) > 100 { // sun_path is 108 bytes
		d, err := os.MkdirTemp("", "k8smig-etcd-")
		if err != nil {
			return nil, err
		}
		s.sockDir, sock = d, filepath.Join(d, "etcd.sock")
	}
	os.Remove(sock) // left by a killed run

	ec := embed.NewConfig()
	ec.Dir = data
	// Errors only, without stack traces, to stderr (= harness.log); and
	// silenced on shutdown, where etcd logs each closed listener as an error.
	s.logLevel = zap.NewAtomicLevelAt(zap.ErrorLevel)
	zc := zap.NewProductionConfig()
	zc.Level, zc.DisableStacktrace, zc.Sampling = s.logLevel, true, nil
	zc.OutputPaths, zc.ErrorOutputPaths = []string{"stderr"}, []string{"stderr"}
	logger, err := zc.Build()
	if err != nil {
		return nil, err
	}
	ec.ZapLoggerBuilder = embed.NewZapLoggerBuilder(logger.Named("etcd"))
	ec.UnsafeNoFsync = true // test data only; makes writes ~free
	ec.ListenClientUrls = []url.URL{{Scheme: "unix", Path: sock}}
	// Must be host:port; advertised in member metadata, never dialed.
	ec.AdvertiseClientUrls = []url.URL{{Scheme: "http", Host: "127.0.0.1:2379"}}
	ec.ListenPeerUrls = []url.URL{{Scheme: "http", Host: "127.0.0.1:0"}}
	ec.AdvertisePeerUrls = []url.URL{{Scheme: "http", Host: "127.0.0.1:2380"}}
	ec.InitialCluster = ec.InitialClusterFromName(ec.Name)
	// A single member elects itself; shorter ticks make that faster.
	ec.TickMs, ec.ElectionMs = 10, 100

	e, err := embed.StartEtcd(ec)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, err
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, fmt.Errorf("not ready after 60s")
	}
	s.e, s.endpoint = e, "unix://"+sock
	logf("etcd ready on %s", s.endpoint)
	return s, nil
}

func (s *etcdServer) stop() {
	s.logLevel.SetLevel(zap.FatalLevel)
	s.e.Close()
	if s.sockDir != "" {
		os.RemoveAll(s.sockDir)
	}
	logf("etcd stopped")
}
