package interop_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeSection is the README.md section that shows the scripts' snippets.
const readmeSection = "## Use the local endpoint from any SDK"

// The lines that open and close a snippet README.md shows, in a comment of
// the script's language.
const (
	beginMarker = "README:begin"
	endMarker   = "README:end"
)

func TestReadmeShowsTheCodeTheInteropTestsRun(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	section := markdownSection(string(readme), readmeSection)
	require.NotEmpty(t, section, "README.md has no section %q", readmeSection)

	for _, s := range sdks {
		script, err := os.ReadFile(s.script)
		require.NoError(t, err)
		snippets := snippets(t, s.script, string(script))
		require.NotEmpty(t, snippets, "%s has no %s ... %s lines", s.script, beginMarker, endMarker)
		for _, snippet := range snippets {
			if !strings.Contains(section, snippet) {
				t.Errorf("README.md's section %q does not show this part of %s as it is (first line that differs: %q):\n%s",
					readmeSection, s.script, firstLineMissing(section, snippet), snippet)
			}
		}
	}
}

// firstLineMissing returns the first line of snippet that text does not
// have, or "" when it has each of them (but not in that order).
func firstLineMissing(text, snippet string) string {
	for line := range strings.Lines(snippet) {
		if !strings.Contains(text, line) {
			return line
		}
	}
	return ""
}

// markdownSection returns the section of markdown under the heading line
// title, up to the next heading of the same level, or "".
func markdownSection(markdown, title string) string {
	_, rest, found := strings.Cut(markdown, "\n"+title+"\n")
	if !found {
		return ""
	}
	level := title[:strings.Index(title, " ")+1] // "## "
	var b strings.Builder
	inFence := false
	for line := range strings.Lines(rest) {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(line, level) {
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

// snippets returns the parts of script between marker lines, each with the
// indentation its lines share removed.
func snippets(t *testing.T, name, script string) []string {
	t.Helper()
	var out []string
	var current []string
	inside := false
	for line := range strings.Lines(script) {
		switch {
		case strings.Contains(line, beginMarker):
			require.False(t, inside, "%s: %s inside a snippet", name, beginMarker)
			inside, current = true, nil
		case strings.Contains(line, endMarker):
			require.True(t, inside, "%s: %s without %s", name, endMarker, beginMarker)
			inside = false
			snippet := dedent(current)
			require.NotEmpty(t, strings.TrimSpace(snippet), "%s: an empty snippet", name)
			out = append(out, snippet)
		case inside:
			current = append(current, line)
		}
	}
	require.False(t, inside, "%s: %s without %s", name, beginMarker, endMarker)
	return out
}

// dedent joins lines with the leading whitespace that all the non-blank ones
// share removed.
func dedent(lines []string) string {
	prefix := ""
	first := true
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		if first {
			prefix, first = indent, false
			continue
		}
		for !strings.HasPrefix(indent, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	var b strings.Builder
	for _, line := range lines {
		b.WriteString(strings.TrimPrefix(line, prefix))
	}
	return b.String()
}
