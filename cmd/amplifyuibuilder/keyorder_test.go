package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMultiselectKeyOrders(t *testing.T) {
	for _, tt := range []struct {
		expression string
		want       keyOrders
	}{
		{"accessToken", nil},
		{"{z: a, b: c}", keyOrders{{"z", "b"}}},
		{`{"quoted: key": a, r: 'raw {x: y}'}`, keyOrders{{"quoted: key", "r"}}},
		{"{outer: {y: a, x: b}, list: [0:1], w: `{\"lit\": {\"k\": 1}}`}", keyOrders{{"y", "x"}, {"outer", "list", "w"}}},
		{"items[].{n: name, a: age}", keyOrders{{"n", "a"}}},
	} {
		assert.Equal(t, tt.want, multiselectKeyOrders(tt.expression), tt.expression)
	}
}

func TestKeyOrderFallsBackToSorted(t *testing.T) {
	orders := keyOrders{{"z", "b"}}

	assert.Equal(t, []string{"z", "b"}, orders.order(map[string]any{"b": 1, "z": 2}))
	assert.Equal(t, []string{"a", "b", "z"}, orders.order(map[string]any{"b": 1, "z": 2, "a": 3}))
}
