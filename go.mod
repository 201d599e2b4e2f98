module github.com/uibuilder-go/amplifyuibuilder

go 1.24

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/smithy-go v1.28.9
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/aws/aws-sdk-go-v2/credentials v1.21.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
