// Package redact prints structs that carry secrets without printing the
// secrets, and hides secret members of JSON documents before they are logged.
//
// Shapes with sensitive members implement fmt.Formatter with Format, so that
// %v, %+v, %#v, %s and every other verb show the shape of the value with a
// fixed Marker where a secret was. Absence stays visible (<nil>), because
// whether a member was set is what a reader debugging a call needs to know.
package redact

import (
	"fmt"
	"reflect"
)

// Marker replaces every secret value wherever this library prints or logs it.
const Marker = "[REDACTED]"

// Field is one member of a shape as Format prints it.
type Field struct {
	Name   string // the Go field name, printed before the value
	Value  any    // a pointer (*string, *int32, *struct) or a plain value
	Secret bool   // print Marker instead of a value that is set
}

// Format writes a shape named typeName with its fields to f. With %#v it
// writes Go syntax (typeName{Name:value, ...}); with any other verb it writes
// {Name:value ...}, the form %+v gives for a plain struct, so that %v never
// degrades to pointer addresses.
func Format(f fmt.State, verb rune, typeName string, fields ...Field) {
	goSyntax := verb == 'v' && f.Flag('#')
	if goSyntax {
		fmt.Fprint(f, typeName)
	}
	fmt.Fprint(f, "{")
	for i, field := range fields {
		if i > 0 {
			if goSyntax {
				fmt.Fprint(f, ", ")
			} else {
				fmt.Fprint(f, " ")
			}
		}
		fmt.Fprint(f, field.Name, ":")
		writeValue(f, goSyntax, field)
	}
	fmt.Fprint(f, "}")
}

func writeValue(f fmt.State, goSyntax bool, field Field) {
	rv := reflect.ValueOf(field.Value)
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
		if goSyntax {
			fmt.Fprintf(f, "(%T)(nil)", field.Value)
		} else {
			fmt.Fprint(f, "<nil>")
		}
		return
	}
	if field.Secret {
		if goSyntax {
			fmt.Fprintf(f, "%q", Marker)
		} else {
			fmt.Fprint(f, Marker)
		}
		return
	}
	if rv.Kind() == reflect.Pointer && rv.Elem().Kind() != reflect.Struct {
		rv = rv.Elem()
	}
	switch {
	case goSyntax:
		fmt.Fprintf(f, "%#v", rv.Interface())
	default:
		fmt.Fprintf(f, "%v", rv.Interface())
	}
}
