package figmaconnect

import (
	"context"
	"sync"
	"time"
)

// ReplayGuard remembers the states that callbacks used, so that a state is
// accepted once. A store shared by every instance (a database, Redis) makes
// the guarantee hold across instances.
type ReplayGuard interface {
	// FirstUse records state as used until expires and reports whether
	// this is its first use. An error refuses the callback (500), with no
	// exchange.
	FirstUse(ctx context.Context, state string, expires time.Time) (bool, error)
}

// defaultGuardSize is how many states the memory guard holds: states that
// expire within the state lifetime, so only a flood of callbacks, each with
// a state this site signed, fills it.
const defaultGuardSize = 1 << 16

// memoryGuard is the default ReplayGuard: the used states of this process
// that have not expired, the oldest dropped first when it is full.
type memoryGuard struct {
	max int
	now func() time.Time // the flow's clock, that states expire on

	mu    sync.Mutex
	used  map[string]time.Time
	order []usedState // in the order they were used
}

type usedState struct {
	state   string
	expires time.Time
}

func newMemoryGuard(max int, now func() time.Time) *memoryGuard {
	return &memoryGuard{max: max, now: now, used: map[string]time.Time{}}
}

// FirstUse records state until expires, first forgetting the states that
// have expired by then, and at most max states.
func (g *memoryGuard) FirstUse(_ context.Context, state string, expires time.Time) (bool, error) {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, seen := g.used[state]; seen {
		return false, nil
	}
	drop := 0
	for drop < len(g.order) && (len(g.order)-drop >= g.max || !g.order[drop].expires.After(now)) {
		delete(g.used, g.order[drop].state)
		drop++
	}
	g.order = append(g.order[drop:], usedState{state, expires})
	g.used[state] = expires
	return true, nil
}
