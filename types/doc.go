// Package types holds the shapes and errors of the Amplify UI Builder token
// operations, with the names and fields of
// github.com/aws/aws-sdk-go-v2/service/amplifyuibuilder/types, so that code
// written for that package compiles against this one.
package types
