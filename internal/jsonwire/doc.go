// Package jsonwire reads and writes the few JSON shapes the service exchanges,
// without reflection and with few allocations: a flat object of string and
// integer members.
//
// Reading is two steps. The caller first checks the document with
// encoding/json's Valid (which also bounds nesting depth), then walks the
// top-level members with Object and decodes each value it knows with String or
// Int32. Keys are matched exactly, as the restJson1 protocol requires;
// encoding/json's case-insensitive matching would accept "AccessToken" for
// "accessToken".
package jsonwire
