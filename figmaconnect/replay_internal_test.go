package figmaconnect

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMemoryGuardIsBounded: the default guard refuses a second use,
// forgets states once they expire, and holds at most its size, dropping
// the oldest first.
func TestMemoryGuardIsBounded(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	g := newMemoryGuard(3, func() time.Time { return now })
	use := func(state string, expires time.Time) bool {
		t.Helper()
		first, err := g.FirstUse(t.Context(), state, expires)
		require.NoError(t, err)
		return first
	}
	later := now.Add(10 * time.Minute)

	assert.True(t, use("a", later))
	assert.False(t, use("a", later), "a second use")
	assert.True(t, use("b", later))
	assert.True(t, use("c", later))
	assert.True(t, use("d", later), "full: the oldest goes")
	assert.Len(t, g.used, 3)
	assert.False(t, use("d", later))
	assert.True(t, use("a", later), "a was dropped to make room")

	now = later
	assert.True(t, use("e", later.Add(time.Minute)))
	assert.Len(t, g.used, 1, "expired states are forgotten")
	assert.Len(t, g.order, 1)
}
