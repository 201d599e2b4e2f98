// Package jsonwire reads and writes the few JSON shapes the service exchanges,
// without reflection and with few allocations: a flat object of string and
// integer members.
//
// Reading is two steps. The caller first checks the document with Valid,
// which accepts exactly what encoding/json's Valid accepts (and bounds
// nesting depth the same way), then walks the top-level members with Object
// and decodes each value it knows with String or Int32. Every reader takes
// the document as a string or as bytes; read from a string, the strings it
// returns are slices of the document, not copies. Keys are matched exactly, as the restJson1 protocol requires;
// encoding/json's case-insensitive matching would accept "AccessToken" for
// "accessToken".
package jsonwire
