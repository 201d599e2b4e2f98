package interop_test

import (
	"bufio"
	"context"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/uibuilder-go/amplifyuibuilder/internal/testenv"
)

// buildTimeout bounds building the command, which the build cache makes
// quick after the first time.
const buildTimeout = 3 * time.Minute

// What serve prints that a user copies: its export lines, and the codes it
// issued with their redirect URI.
var (
	serveExport      = regexp.MustCompile(`^\s*export ([A-Z_]+)=(\S*)$`)
	serveRedirectURI = regexp.MustCompile(`^Single-use authorization codes for redirect URI (\S+):$`)
	serveCode        = regexp.MustCompile(`^\s+(code-\S+)$`)
	serveReady       = regexp.MustCompile(`^Serving until interrupted`)
)

// servePrinted is what serve printed before it began serving.
type servePrinted struct {
	exports     map[string]string
	redirectURI string
	codes       []string
}

// TestEverySDKUsesWhatServePrints runs the serve command as the README says,
// and exchanges one of the codes it printed with each client, in a clean
// environment plus only the export lines serve printed.
func TestEverySDKUsesWhatServePrints(t *testing.T) {
	t.Parallel()
	printed := startServe(t, buildCommand(t), len(sdks))
	for i, s := range sdks {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			c := &call{t: t, sdk: s, launcher: s.require(t), env: cleanEnv(t.TempDir())}
			maps.Copy(c.env, printed.exports)
			got := c.exchange(printed.codes[i], printed.redirectURI)
			c.requireSuccess(got)
			require.NotEmpty(t, got.AccessToken)
			require.NotEmpty(t, got.RefreshToken)
		})
	}
}

// buildCommand builds cmd/amplifyuibuilder into a directory of t's and
// returns the program's path.
func buildCommand(t *testing.T) string {
	t.Helper()
	goCmd := testenv.LookPath(t, "go")
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "amplifyuibuilder")
	build := exec.CommandContext(ctx, goCmd, "build", "-o", bin, "../cmd/amplifyuibuilder")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/amplifyuibuilder: %v\n%s", err, out)
	}
	return bin
}

// startServe starts bin serve on a free loopback port, issuing n codes, and
// returns what it printed once it serves. serve runs until t and its
// subtests end, however long they wait for their turn: then it is
// interrupted, killed if it has not stopped 5 seconds later, and checked to
// have stopped as asked.
func startServe(t *testing.T, bin string, n int) servePrinted {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", "127.0.0.1:0", "--codes", strconv.Itoa(n))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		kill := time.AfterFunc(5*time.Second, stop)
		defer kill.Stop()
		if err := cmd.Wait(); err != nil {
			t.Errorf("serve did not stop cleanly when interrupted: %v", err)
		}
	})

	lines := make(chan string)
	go func() {
		defer close(lines)
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	printed := servePrinted{exports: map[string]string{}}
	timeout := time.After(callTimeout)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve stopped before it served; it printed exports %v, codes %d", printed.exports, len(printed.codes))
			}
			if m := serveExport.FindStringSubmatch(line); m != nil {
				printed.exports[m[1]] = m[2]
			}
			if m := serveRedirectURI.FindStringSubmatch(line); m != nil {
				printed.redirectURI = m[1]
			}
			if m := serveCode.FindStringSubmatch(line); m != nil {
				printed.codes = append(printed.codes, m[1])
			}
			if serveReady.MatchString(line) {
				go func() {
					for range lines {
					}
				}()
				require.Len(t, printed.codes, n, "serve did not print the codes it was asked for")
				require.NotEmpty(t, printed.redirectURI, "serve did not say which redirect URI its codes are for")
				require.Contains(t, printed.exports, endpointVar, "serve did not print the endpoint as an export line")
				return printed
			}
		case <-timeout:
			t.Fatalf("serve printed no %q line in %v", serveReady, callTimeout)
		}
	}
}
