// Command testenv runs a command inside a throwaway test environment:
//
//	go run ./internal/tools/testenv -- go test ./...
//
// It starts the services the tests need (an ephemeral PostgreSQL cluster
// with database mosaic_test, exported as TEST_DATABASE_URL, and an
// S3-compatible server, Versity Gateway, exported as TEST_S3_ENDPOINT,
// TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY and TEST_S3_REGION), runs
// the command with stdio passed through, then stops the services and removes
// their files whatever happens, and exits with the command's exit code.
//
// The cluster accepts replication connections from 127.0.0.1, so tests of
// read replicas make hot standbys of it themselves (internal/testdb's
// NewStandby: pg_basebackup -R on another loopback port), which they can
// stop and restart; they go with the cluster's directory at the end.
//
// The command runs in its own process group. SIGINT, SIGTERM and SIGHUP
// received by testenv are forwarded to that whole group (go test and the
// test binaries it runs), exactly once; if the command has not exited 30
// seconds later, or on a second signal, the group is killed. Commands that
// read from the terminal are therefore not supported.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

const (
	// graceAfterSignal is how long the command may take to exit after a
	// forwarded signal before its process group is killed.
	graceAfterSignal = 30 * time.Second
	// stopTimeout bounds stopping the services.
	stopTimeout = time.Minute
)

func main() { os.Exit(run()) }

func run() int {
	verbose := flag.Bool("v", false, "log every step")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./internal/tools/testenv [-v] -- command [args...]\n\n"+
			"Runs command with a throwaway PostgreSQL (TEST_DATABASE_URL) and S3-compatible server (TEST_S3_*) and stops them afterwards.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		return 2
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("component", "testenv")

	// Catch signals before anything starts, so that a Ctrl-C during start-up
	// still cleans up.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)

	env := newEnvironment(log)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		if err := env.stop(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "testenv: stopping the test environment: %v\n", err)
		}
	}()

	vars, sig, err := startEnvironment(env, sigs)
	if sig != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v during start-up, stopping\n", sig)
		return exitCodeForSignal(sig)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		return 1
	}
	return runCommand(log, flag.Args(), vars, sigs)
}

// startEnvironment starts the services, giving up when a signal arrives.
func startEnvironment(env *environment, sigs <-chan os.Signal) ([]string, os.Signal, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		vars []string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		vars, err := env.start(ctx)
		done <- result{vars, err}
	}()
	select {
	case r := <-done:
		return r.vars, nil, r.err
	case sig := <-sigs:
		cancel()
		<-done // let start return before stop runs
		return nil, sig, nil
	}
}

// runCommand runs args with vars added to the environment, forwarding
// signals, and returns the exit code to exit with.
func runCommand(log *slog.Logger, args, vars []string, sigs <-chan os.Signal) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if _, err := os.Stdin.Stat(); err != nil {
		cmd.Stdin = nil // stdin closed (some CI runners): give the command /dev/null
	}
	cmd.Env = append(os.Environ(), vars...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		if errors.Is(err, exec.ErrNotFound) {
			return 127
		}
		return 126
	}
	pgid := cmd.Process.Pid // Setpgid: the child leads its own group
	// Whatever the command leaves behind in its group (a server a test
	// forgot to stop) goes with it.
	defer func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) }()

	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	var grace <-chan time.Time
	for {
		select {
		case err := <-waitErr:
			return exitCode(cmd, err)
		case sig := <-sigs:
			if grace != nil {
				log.Warn("second signal, killing the command", "signal", sig)
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				continue
			}
			log.Warn("forwarding signal to the command", "signal", sig)
			_ = syscall.Kill(-pgid, sig.(syscall.Signal))
			grace = time.After(graceAfterSignal)
		case <-grace:
			fmt.Fprintf(os.Stderr, "testenv: the command did not exit %v after the signal, killing it\n", graceAfterSignal)
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
		}
	}
}

// exitCode follows the shell's convention: the command's status, or 128+N
// when signal N killed it.
func exitCode(cmd *exec.Cmd, err error) int {
	if err != nil && cmd.ProcessState == nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		return 1
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

func exitCodeForSignal(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}
