package amplifyuibuildertest

import "time"

// ledger holds the secrets the server hands out (authorization codes,
// pending consents, access tokens) until they expire, and never more than max
// of them: memory stays bounded however many are asked for. Expired entries
// are forgotten as new ones arrive. The server's mutex guards it.
type ledger[V any] struct {
	max     int
	entries map[string]ledgerEntry[V]
	// order lists keys as they were added, with their expiry. Every entry
	// has the same lifetime, so the oldest expires first; a key taken
	// early stays here until its turn comes.
	order []ledgerKey
}

type ledgerEntry[V any] struct {
	value   V
	expires time.Time
}

type ledgerKey struct {
	key     string
	expires time.Time
}

func newLedger[V any](max int) *ledger[V] {
	return &ledger[V]{max: max, entries: map[string]ledgerEntry[V]{}}
}

// add keeps value under key until expires, after forgetting what has
// expired by now and, beyond max entries, the oldest.
func (l *ledger[V]) add(now time.Time, key string, value V, expires time.Time) {
	l.forget(now)
	for len(l.order) >= l.max {
		l.drop()
	}
	l.entries[key] = ledgerEntry[V]{value: value, expires: expires}
	l.order = append(l.order, ledgerKey{key: key, expires: expires})
}

// take removes key and returns its value if it has not expired by now.
func (l *ledger[V]) take(now time.Time, key string) (V, bool) {
	entry, ok := l.entries[key]
	delete(l.entries, key)
	if !ok || !now.Before(entry.expires) {
		var zero V
		return zero, false
	}
	return entry.value, true
}

// get returns key's value if it has not expired by now.
func (l *ledger[V]) get(now time.Time, key string) (V, bool) {
	entry, ok := l.entries[key]
	if !ok || !now.Before(entry.expires) {
		var zero V
		return zero, false
	}
	return entry.value, true
}

// len returns how many entries the ledger holds, expired or not.
func (l *ledger[V]) len() int {
	return len(l.entries)
}

// forget drops the entries that have expired by now, oldest first.
func (l *ledger[V]) forget(now time.Time) {
	for len(l.order) > 0 && !now.Before(l.order[0].expires) {
		l.drop()
	}
}

// drop forgets the oldest entry.
func (l *ledger[V]) drop() {
	oldest := l.order[0]
	l.order[0] = ledgerKey{}
	l.order = l.order[1:]
	if entry, ok := l.entries[oldest.key]; ok && entry.expires.Equal(oldest.expires) {
		delete(l.entries, oldest.key)
	}
}
