package amplifyuibuilder_test

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestREADMEGoBlocksCompile compiles every Go block of README.md, as code of
// a consumer module that requires this one through a replace directive, as
// the README tells a user to. A block is one of:
//
//   - a whole file, starting with its package clause;
//   - declarations (func, type, var, const, import), made a file;
//   - a fragment: statements, marked by an HTML comment on the line above,
//     <!-- fragment: func(ctx context.Context, ...) error -->, that gives
//     the signature of the function they are the body of.
//
// The blocks share one package main, so a name (connectFigma) is declared
// once in the README and used the same way everywhere; a block marked
// <!-- standalone --> is a program of its own. Imports a block leaves out
// are added for the packages the README uses, by their usual names.
func TestREADMEGoBlocksCompile(t *testing.T) {
	blocks := readmeGoBlocks(t, "README.md")
	readmeMust(t, len(blocks) > 0, "README.md has no Go block")
	blocks = append(blocks, packageDocBlock(t))
	root, err := filepath.Abs(".")
	readmeMust(t, err == nil, "%v", err)

	dir := t.TempDir()
	readmeWriteFile(t, filepath.Join(dir, "go.mod"), fmt.Sprintf(
		"module readmecheck\n\ngo 1.26.0\n\nrequire github.com/uibuilder-go/amplifyuibuilder v0.0.0\n\nreplace github.com/uibuilder-go/amplifyuibuilder => %s\n", root))
	for _, b := range blocks {
		src, err := b.file()
		if err != nil {
			t.Errorf("README.md:%d: %v", b.line, err)
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("readme_line%d.go", b.line))
		if b.name != "" {
			path = filepath.Join(dir, b.name+".go")
		}
		if b.standalone {
			path = filepath.Join(dir, fmt.Sprintf("standalone_line%d", b.line), "main.go")
			readmeMust(t, os.MkdirAll(filepath.Dir(path), 0o755) == nil, "mkdir")
		}
		readmeWriteFile(t, path, src)
	}
	if t.Failed() {
		return
	}

	// "Use the module today": go mod tidy, with no go.sum to start from.
	// Offline, the module cache stands in for the checksum database
	// (GOSUMDB=off); readmeCheckConsumerSums then holds what tidy recorded
	// to what the README promises.
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "mod", "tidy")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("module lookup disabled")) {
		t.Fatalf("a module the README's blocks need is not in the module cache, and this test does not download: run 'go mod download' once:\n%s", out)
	}
	if err != nil {
		t.Fatalf("go mod tidy of a module that uses this one fails:\n%s", out)
	}
	readmeCheckConsumerSums(t, filepath.Join(dir, "go.sum"))

	// go vet type-checks every block and runs the vet checks, offline and
	// with checksum lookups failing: the go.sum tidy wrote must be enough.
	cmd = exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOPROXY=off", offlineSumDB, "GOTOOLCHAIN=local", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's Go blocks do not compile (readme_lineN.go is the block at README.md line N, doc_go.go the package doc's):\n%s", out)
	}
}

// consumerSumModules are the modules whose checksums go mod tidy records
// for a module that uses this one (a path ending in "/" stands for the
// modules under it): the stack the client is built on, all served by the
// checksum database, so that the README needs no go.sum copy step. A module
// added here must first be checked online: go mod tidy of a consumer with
// no go.sum, GONOSUMDB unset, must succeed. (Test-only requirements of the
// packages a consumer imports reach its go.sum too: keep OpenTelemetry,
// goleak and the like out of them, as examples/observability does.)
var consumerSumModules = []string{
	"github.com/aws/aws-sdk-go-v2", "github.com/aws/aws-sdk-go-v2/",
	"github.com/aws/smithy-go",
	"github.com/stretchr/testify", "github.com/stretchr/objx", "go.yaml.in/yaml/v3",
	"golang.org/x/oauth2",
}

// readmeCheckConsumerSums: every module in the consumer's go.sum is one of
// consumerSumModules, and every line is one of this module's go.sum (the
// checksums it was tested with).
func readmeCheckConsumerSums(t *testing.T, path string) {
	t.Helper()
	consumer, err := os.ReadFile(path)
	readmeMust(t, err == nil, "%v", err)
	ours, err := os.ReadFile("go.sum")
	readmeMust(t, err == nil, "%v", err)
	tested := strings.Split(string(ours), "\n")
	reported := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(consumer)), "\n") {
		module, _, _ := strings.Cut(line, " ")
		known := slices.ContainsFunc(consumerSumModules, func(m string) bool {
			return module == m || strings.HasSuffix(m, "/") && strings.HasPrefix(module, m)
		})
		if !known && !reported[module] {
			reported[module] = true
			t.Errorf("a consumer's go mod tidy now records %s: it reaches every consumer's go.sum, and the checksum database may not know it (see consumerSumModules)", module)
		}
		if !slices.Contains(tested, line) {
			t.Errorf("a consumer's go.sum has %q, which this module's go.sum lacks", line)
		}
	}
}

// offlineSumDB points checksum lookups at a closed loopback port: with
// GOPROXY=off the go command would otherwise ask sum.golang.org directly for
// a checksum go.sum lacks.
const offlineSumDB = "GOSUMDB=sum.golang.org http://127.0.0.1:9"

// TestREADMEBlockCheckFails: a block that does not compile fails the check;
// the test above is not vacuous.
func TestREADMEBlockCheckFails(t *testing.T) {
	for _, tt := range []struct{ name, markdown string }{
		{"unused import", "```go\npackage main\n\nimport \"log\"\n\nfunc f() {}\n```\n"},
		{"unused variable in a fragment", "<!-- fragment: func() error -->\n```go\nerr := fmt.Errorf(\"x\")\nreturn nil\n```\n"},
		{"unmarked statements", "```go\nx := 1\n```\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			blocks := parseGoBlocks(t, tt.markdown)
			readmeMust(t, len(blocks) == 1, "blocks: %d", len(blocks))
			src, err := blocks[0].file()
			if err != nil {
				return // refused before compiling
			}
			dir := t.TempDir()
			readmeWriteFile(t, filepath.Join(dir, "go.mod"), "module check\n\ngo 1.26.0\n")
			readmeWriteFile(t, filepath.Join(dir, "main.go"), src)
			cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "vet", ".")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", offlineSumDB, "GOTOOLCHAIN=local", "GOWORK=off")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("this block compiled, and should not have:\n%s", src)
			}
			_ = out
		})
	}
}

// packageDocBlock is the code of the package doc's "Making a call": the
// lines a newcomer copies first.
func packageDocBlock(t *testing.T) goBlock {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	readmeMust(t, err == nil && f.Doc != nil, "doc.go: %v", err)
	_, section, found := strings.Cut(f.Doc.Text(), "# Making a call\n")
	readmeMust(t, found, "doc.go has no \"# Making a call\" section")
	var code []string
	inCode := false
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "\t") {
			code = append(code, strings.TrimPrefix(line, "\t"))
			inCode = true
		} else if inCode {
			break
		}
	}
	readmeMust(t, len(code) > 0, "doc.go's \"Making a call\" has no code")
	return goBlock{
		name:     "doc_go",
		code:     strings.Join(code, "\n") + "\n",
		fragment: "func(ctx context.Context, code, redirectURI string, save func(accessToken, refreshToken *string, expiresIn *int32) error) error",
	}
}

// goBlock is one ```go block of a Markdown file.
type goBlock struct {
	name       string // the file's name, when not the line's
	line       int    // the line of its first line of code
	code       string // its text
	fragment   string // the signature it is the body of, for a fragment
	standalone bool
}

func readmeGoBlocks(t *testing.T, path string) []goBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	readmeMust(t, err == nil, "%v", err)
	return parseGoBlocks(t, string(data))
}

func parseGoBlocks(t *testing.T, markdown string) []goBlock {
	t.Helper()
	var blocks []goBlock
	var current *goBlock
	var code []string
	previous := ""
	lines := bufio.NewScanner(strings.NewReader(markdown))
	for n := 1; lines.Scan(); n++ {
		line := lines.Text()
		switch {
		case current == nil && strings.TrimSpace(line) == "```go":
			current = &goBlock{line: n + 1}
			marker := strings.TrimSpace(previous)
			if sig, ok := strings.CutPrefix(marker, "<!-- fragment:"); ok {
				current.fragment = strings.TrimSpace(strings.TrimSuffix(sig, "-->"))
			}
			current.standalone = marker == "<!-- standalone -->"
			code = nil
		case current != nil && strings.TrimSpace(line) == "```":
			current.code = strings.Join(code, "\n") + "\n"
			blocks = append(blocks, *current)
			current = nil
		case current != nil:
			code = append(code, line)
		}
		previous = line
	}
	readmeMust(t, current == nil, "a ```go block is not closed")
	return blocks
}

// file returns the block as a Go file of package main.
func (b goBlock) file() (string, error) {
	first := firstCodeLine(b.code)
	var src string
	switch {
	case b.fragment != "":
		sig, ok := strings.CutPrefix(b.fragment, "func")
		if !ok {
			return "", fmt.Errorf("the fragment's signature %q does not start with func", b.fragment)
		}
		src = fmt.Sprintf("package main\n\nfunc readmeLine%d%s {\n%s}\n", b.line, sig, b.code)
	case strings.HasPrefix(first, "package "):
		return "package main" + strings.TrimPrefix(b.code, strings.SplitN(b.code, "\n", 2)[0]), nil
	case startsDeclaration(first):
		src = "package main\n\n" + b.code
	default:
		return "", fmt.Errorf("a Go block that is neither a file, nor declarations, nor a fragment marked with <!-- fragment: func(...) -->")
	}
	return withImports(src)
}

func firstCodeLine(code string) string {
	for _, line := range strings.Split(code, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "//") {
			return line
		}
	}
	return ""
}

func startsDeclaration(line string) bool {
	for _, keyword := range []string{"func ", "type ", "var ", "const ", "import "} {
		if strings.HasPrefix(line, keyword) {
			return true
		}
	}
	return false
}

// readmeImports are the packages the README's blocks use, by the name they
// go by there.
var readmeImports = map[string]string{
	"amplifyuibuilder":     "github.com/uibuilder-go/amplifyuibuilder",
	"types":                "github.com/uibuilder-go/amplifyuibuilder/types",
	"tokensource":          "github.com/uibuilder-go/amplifyuibuilder/tokensource",
	"slogadapter":          "github.com/uibuilder-go/amplifyuibuilder/slogadapter",
	"amplifyuibuildertest": "github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildertest",
	"amplifyuibuildermock": "github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildermock",
	"figmaconnect":         "github.com/uibuilder-go/amplifyuibuilder/figmaconnect",
	"aws":                  "github.com/aws/aws-sdk-go-v2/aws",
	"config":               "github.com/aws/aws-sdk-go-v2/config",
	"awshttp":              "github.com/aws/aws-sdk-go-v2/aws/transport/http",
	"v4":                   "github.com/aws/aws-sdk-go-v2/aws/signer/v4",
	"smithy":               "github.com/aws/smithy-go",
	"oauth2":               "golang.org/x/oauth2",
	"mock":                 "github.com/stretchr/testify/mock",
	"assert":               "github.com/stretchr/testify/assert",
	"require":              "github.com/stretchr/testify/require",
	"context":              "context",
	"errors":               "errors",
	"fmt":                  "fmt",
	"http":                 "net/http",
	"io":                   "io",
	"json":                 "encoding/json",
	"log":                  "log",
	"os":                   "os",
	"slog":                 "log/slog",
	"testing":              "testing",
	"time":                 "time",
}

// withImports adds an import for each package of readmeImports that src
// uses and does not import.
func withImports(src string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "block.go", src, parser.SkipObjectResolution)
	if err != nil {
		return "", fmt.Errorf("not Go: %v", err)
	}
	imported := map[string]bool{}
	for _, spec := range f.Imports {
		path := strings.Trim(spec.Path.Value, `"`)
		name := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			name = spec.Name.Name
		}
		imported[name] = true
	}
	var needed []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && readmeImports[id.Name] != "" && !imported[id.Name] && !slices.Contains(needed, id.Name) {
				needed = append(needed, id.Name)
			}
		}
		return true
	})
	if len(needed) == 0 {
		return src, nil
	}
	var b bytes.Buffer
	b.WriteString("import (\n")
	for _, name := range needed {
		fmt.Fprintf(&b, "\t%s %q\n", name, readmeImports[name])
	}
	b.WriteString(")\n")
	pkg, body, _ := strings.Cut(src, "\n")
	return pkg + "\n\n" + b.String() + body, nil
}

func readmeWriteFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readmeMust stops the test when ok is false. (The root package's tests use
// testify; this file keeps to the standard library so that it reads alone.)
func readmeMust(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf(format, args...)
	}
}
