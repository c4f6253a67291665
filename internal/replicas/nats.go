package replicas

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSCluster is an external NATS JetStream cluster of nats-server
// processes on loopback, the kind MOSAIC_NATS_URL points production at.
type NATSCluster struct {
	Nodes []*NATSNode
}

// NATSNode is one nats-server of a cluster.
type NATSNode struct {
	Name string
	URL  string // nats://127.0.0.1:<port>
	cmd  *exec.Cmd
	done chan struct{}
}

// StartNATSCluster starts n clustered nats-server processes from bin (the
// binary testenv installs: TEST_NATS_SERVER) with JetStream on, and
// returns once JetStream answers through every node. They are killed when
// the test ends.
func StartNATSCluster(t testing.TB, bin string, n int) *NATSCluster {
	t.Helper()
	clients, routes := make([]int, n), make([]string, n)
	for i := range n {
		clients[i] = freePort(t)
		routes[i] = fmt.Sprintf("nats://127.0.0.1:%d", freePort(t))
	}
	c := &NATSCluster{}
	for i := range n {
		node := &NATSNode{Name: fmt.Sprintf("n%d", i), URL: fmt.Sprintf("nats://127.0.0.1:%d", clients[i]), done: make(chan struct{})}
		node.cmd = exec.Command(bin, "-n", node.Name, "-a", "127.0.0.1", "-p", fmt.Sprint(clients[i]),
			"-js", "-sd", t.TempDir(), "--cluster_name", "mosaic-test", "--cluster", routes[i],
			"--routes", strings.Join(routes, ","))
		if err := node.cmd.Start(); err != nil {
			t.Fatalf("starting nats-server %s: %v", node.Name, err)
		}
		go func() { _ = node.cmd.Wait(); close(node.done) }()
		t.Cleanup(node.Kill)
		c.Nodes = append(c.Nodes, node)
	}
	deadline := time.Now().Add(StartTimeout)
	for _, node := range c.Nodes {
		for {
			err := jetStreamAnswers(node.URL)
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the NATS cluster's JetStream is not ready through %s: %v", node.Name, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return c
}

func jetStreamAnswers(url string) error {
	nc, err := nats.Connect(url, nats.Timeout(time.Second))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = js.AccountInfo(ctx)
	return err
}

// URL is every node's URL, comma-separated, as MOSAIC_NATS_URL takes it.
func (c *NATSCluster) URL() string {
	urls := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		urls[i] = n.URL
	}
	return strings.Join(urls, ",")
}

// Node is the node named name, or nil.
func (c *NATSCluster) Node(name string) *NATSNode {
	for _, n := range c.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// StreamLeader is the node leading stream: the one whose death costs an
// election.
func (c *NATSCluster) StreamLeader(ctx context.Context, stream string) (*NATSNode, error) {
	nc, err := nats.Connect(c.URL(), nats.Timeout(time.Second))
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return nil, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, err
	}
	if info.Cluster == nil || c.Node(info.Cluster.Leader) == nil {
		return nil, fmt.Errorf("stream %s has no known leader", stream)
	}
	return c.Node(info.Cluster.Leader), nil
}

// Kill kills the node with SIGKILL and waits for it to exit.
func (n *NATSNode) Kill() {
	_ = n.cmd.Process.Signal(syscall.SIGKILL)
	<-n.done
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
