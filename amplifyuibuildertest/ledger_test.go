package amplifyuibuildertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestLedgerForgetsExpiredEntries: what has expired is dropped from memory
// as new entries arrive, not only refused.
func TestLedgerForgetsExpiredEntries(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLedger[int](100)
	for i := range 10 {
		l.add(now, fmt.Sprint(i), i, now.Add(time.Minute))
	}
	_, ok := l.take(now, "3")
	assert.True(t, ok)
	assert.Equal(t, 9, l.len())

	later := now.Add(time.Minute)
	_, ok = l.get(later, "4")
	assert.False(t, ok, "expired")
	l.add(later, "new", 1, later.Add(time.Minute))

	assert.Equal(t, 1, l.len())
	assert.Len(t, l.order, 1)
	v, ok := l.get(later, "new")
	assert.True(t, ok)
	assert.Equal(t, 1, v)
}

// TestLedgerKeepsAtMostMax: beyond max entries, the oldest are forgotten.
func TestLedgerKeepsAtMostMax(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLedger[int](5)
	for i := range 12 {
		l.add(now, fmt.Sprint(i), i, now.Add(time.Hour))
	}

	assert.Equal(t, 5, l.len())
	assert.Len(t, l.order, 5)
	_, ok := l.get(now, "6")
	assert.False(t, ok)
	_, ok = l.get(now, "7")
	assert.True(t, ok)
}
