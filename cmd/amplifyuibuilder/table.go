package main

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"
)

// tableWidth is the width the AWS CLI fits a table into when its output is
// not a terminal. Wider tables are turned: a section of one row becomes a
// key | value row per column.
const tableWidth = 80

// writeTable draws v as the AWS CLI's --output table does: a title row with
// the operation's name, then each object as a row of column headers and a
// row of values, each nested list or object as a section of its own,
// indented by a border per level. An empty value draws nothing.
func writeTable(w *bytes.Buffer, title string, v any) error {
	t := &table{}
	ok, err := t.build(title, v, 0, true)
	if err != nil || !ok {
		return err
	}
	t.render(w)
	return nil
}

// table is a list of sections, each drawn as a box inside the borders of
// the sections above it.
type table struct {
	sections []*section
	current  *section
}

type section struct {
	title     string
	headers   []string
	rows      [][]string
	indent    int
	maxWidths []int
	numCols   int // -1 until a header or row sets it
}

func (t *table) newSection(title string, indent int) {
	t.current = &section{title: title, indent: indent, numCols: -1}
	t.sections = append(t.sections, t.current)
}

func (s *section) addHeader(headers []string) {
	s.updateMaxWidths(headers)
	if s.numCols < 0 {
		s.numCols = len(headers)
	}
	s.headers = headers
}

func (s *section) addRow(values []any) error {
	row := make([]string, len(values))
	for i, v := range values {
		row[i] = pyString(v)
	}
	if s.numCols < 0 {
		s.numCols = len(row)
	}
	if len(row) != s.numCols {
		return fmt.Errorf("Row should have %d elements, instead it has %d", s.numCols, len(row))
	}
	s.rows = append(s.rows, row)
	s.updateMaxWidths(row)
	return nil
}

func (s *section) updateMaxWidths(row []string) {
	if len(s.maxWidths) == 0 {
		for _, cell := range row {
			s.maxWidths = append(s.maxWidths, textWidth(cell))
		}
		return
	}
	for i, cell := range row {
		if i < len(s.maxWidths) {
			s.maxWidths[i] = max(s.maxWidths[i], textWidth(cell))
		}
	}
}

// build adds the sections that draw v; it reports false when v is empty (no
// section was added). Titles are added for top-level and nested values;
// lists of lists add their rows to the enclosing section.
func (t *table) build(title string, v any, indent int, titled bool) (bool, error) {
	if isFalsy(v) {
		return false, nil
	}
	if titled {
		t.newSection(title, indent)
	}
	if t.current == nil {
		t.newSection("", indent)
	}
	switch v := v.(type) {
	case []any:
		if _, ok := v[0].(map[string]any); ok {
			return true, t.buildFromList(v, indent, title)
		}
		for _, item := range v {
			switch item := item.(type) {
			case []any:
				if !slices.ContainsFunc(item, func(e any) bool { return !isScalar(e) }) {
					if err := t.current.addRow(item); err != nil {
						return false, err
					}
					continue
				}
				if _, err := t.build("", item, 0, false); err != nil {
					return false, err
				}
			case map[string]any:
				// The AWS CLI iterates an object for its keys here.
				keys := make([]any, 0, len(item))
				for _, k := range slices.Sorted(maps.Keys(item)) {
					keys = append(keys, k)
				}
				if err := t.current.addRow(keys); err != nil {
					return false, err
				}
			default:
				if err := t.current.addRow([]any{item}); err != nil {
					return false, err
				}
			}
		}
	case map[string]any:
		return true, t.buildFromObject(v, indent)
	}
	return true, nil
}

// buildFromObject draws an object's scalar members as a header row and a
// row of values (a single one as key | value), then a section for each
// other member.
func (t *table) buildFromObject(m map[string]any, indent int) error {
	headers, more := groupKeys(m)
	switch {
	case len(headers) == 1:
		if err := t.current.addRow([]any{headers[0], m[headers[0]]}); err != nil {
			return err
		}
	case len(headers) > 1:
		t.current.addHeader(headers)
		values := make([]any, len(headers))
		for i, k := range headers {
			values[i] = m[k]
		}
		if err := t.current.addRow(values); err != nil {
			return err
		}
	}
	for _, k := range more {
		if _, err := t.build(k, m[k], indent+1, true); err != nil {
			return err
		}
	}
	return nil
}

// buildFromList draws a list of objects as one header row of every scalar
// member and a row per object; an object with lists or objects inside gets a
// section of its own, headers repeated.
func (t *table) buildFromList(list []any, indent int, title string) error {
	headerSet, moreSet := map[string]bool{}, map[string]bool{}
	for _, item := range list {
		m, _ := item.(map[string]any)
		headers, more := groupKeys(m)
		for _, h := range headers {
			headerSet[h] = true
		}
		for _, k := range more {
			moreSet[k] = true
		}
	}
	headers := slices.Sorted(maps.Keys(headerSet))
	more := slices.Sorted(maps.Keys(moreSet))
	t.current.addHeader(headers)
	for i, item := range list {
		m, _ := item.(map[string]any)
		if i > 0 && len(more) > 0 {
			t.newSection(title, indent)
			t.current.addHeader(headers)
		}
		values := make([]any, len(headers))
		for j, h := range headers {
			if v, ok := m[h]; ok {
				values[j] = v
			} else {
				values[j] = ""
			}
		}
		if err := t.current.addRow(values); err != nil {
			return err
		}
		for _, k := range more {
			if v, ok := m[k]; ok {
				if _, err := t.build(k, v, indent+1, true); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// groupKeys splits an object's keys into those with scalar values and the
// others, each sorted.
func groupKeys(m map[string]any) (scalars, others []string) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if isScalar(m[k]) {
			scalars = append(scalars, k)
		} else {
			others = append(others, k)
		}
	}
	return scalars, others
}

// isFalsy is Python's truth test, which the AWS CLI applies to a value
// before drawing it.
func isFalsy(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case float64:
		return v == 0
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

func (t *table) render(w *bytes.Buffer) {
	width := t.maxWidth()
	if width > tableWidth {
		t.turnSingleRowSections()
		width = t.maxWidth()
	}
	w.WriteString(strings.Repeat("-", width) + "\n")
	for _, s := range t.sections {
		s.render(w, width)
	}
}

func (t *table) maxWidth() int {
	width := 0
	for _, s := range t.sections {
		width = max(width, s.totalWidth())
	}
	return width
}

// turnSingleRowSections makes each section of headers and one row a
// section of key | value rows.
func (t *table) turnSingleRowSections() {
	for i, s := range t.sections {
		if len(s.rows) != 1 || len(s.headers) == 0 {
			continue
		}
		turned := &section{title: s.title, indent: s.indent, numCols: -1}
		for j, h := range s.headers {
			if j < len(s.rows[0]) {
				turned.rows = append(turned.rows, []string{h, s.rows[0][j]})
				turned.updateMaxWidths([]string{h, s.rows[0][j]})
			}
		}
		turned.numCols = 2
		t.sections[i] = turned
	}
}

// totalWidth is the width the section needs: each column padded by 4, a
// border on each side, and a border on each side per level of indentation.
func (s *section) totalWidth() int {
	total := 0
	for _, w := range s.maxWidths {
		total += w + 4
	}
	total += 2 + 2*s.indent
	return max(textWidth(s.title)+2+2*s.indent, total)
}

// columnWidths scales the padded column widths to fill width exactly.
func (s *section) columnWidths(width int) []int {
	if len(s.maxWidths) == 0 {
		return nil
	}
	sum := 0
	for _, w := range s.maxWidths {
		sum += w + 4
	}
	scale := float64(width) / float64(sum)
	scaled := make([]int, len(s.maxWidths))
	off := -width
	for i, w := range s.maxWidths {
		scaled[i] = int(math.RoundToEven(scale * float64(w+4)))
		off += scaled[i]
	}
	for off != 0 {
		if off > 0 {
			for i := 0; i < len(scaled) && off != 0; i++ {
				scaled[i]--
				off--
			}
		} else {
			for i := len(scaled) - 1; i >= 0 && off != 0; i-- {
				scaled[i]++
				off++
			}
		}
	}
	return scaled
}

func (s *section) render(w *bytes.Buffer, width int) {
	edge := strings.Repeat("|", s.indent)
	line := func(text string) { w.WriteString(edge + text + edge + "\n") }
	width -= 2 * s.indent
	if s.title != "" {
		line(centerText(s.title, width, "|", "|"))
		if len(s.headers) == 0 && len(s.rows) == 0 {
			line("+" + strings.Repeat("-", width-2) + "+")
		}
	}
	widths := s.columnWidths(width)
	if len(s.headers) > 0 {
		var b strings.Builder
		for i, h := range s.headers {
			if i < len(widths) {
				b.WriteString(centerText(h, widths[i], leftEdge(i), "|"))
			}
		}
		line(lineBreak(widths))
		line(b.String())
	}
	if len(s.rows) == 0 || len(widths) == 0 {
		return
	}
	line(lineBreak(widths))
	for _, row := range s.rows {
		var b strings.Builder
		for i, cell := range row {
			if i < len(widths) {
				b.WriteString(alignLeft(cell, widths[i], leftEdge(i), "|"))
			}
		}
		line(b.String())
	}
	line(lineBreak(widths))
}

func leftEdge(column int) string {
	if column == 0 {
		return "|"
	}
	return ""
}

// lineBreak is a +-----+-----+ line over columns of these widths.
func lineBreak(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + spaces(w-2, '-') + "+")
		} else {
			b.WriteString(spaces(w-1, '-') + "+")
		}
	}
	return b.String()
}

func centerText(text string, length int, left, right string) string {
	n := textWidth(text)
	start := length/2 - n/2 - 1
	soFar := len(left) + start + n
	return left + spaces(start, ' ') + text + spaces(length-len(right)-soFar, ' ') + right
}

func alignLeft(text string, length int, left, right string) string {
	n := textWidth(text)
	padding := 0
	if length-(n+2+len(left)+len(right)) >= 0 {
		padding = 2
	}
	return left + spaces(padding, ' ') + text + spaces(length-len(left)-padding-n-len(right), ' ') + right
}

// spaces repeats c n times, or returns "" when n is not positive, as
// Python's ' ' * n does.
func spaces(n int, c byte) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(string(c), n)
}

// textWidth is the number of terminal columns text takes: East Asian wide
// characters take two.
func textWidth(text string) int {
	n := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || (r >= 0xFF01 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
