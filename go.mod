module github.com/uibuilder-go/amplifyuibuilder

go 1.24
