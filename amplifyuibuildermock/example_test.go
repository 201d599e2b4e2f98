package amplifyuibuildermock_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/mock"

	"github.com/uibuilder-go/amplifyuibuilder"
	"github.com/uibuilder-go/amplifyuibuilder/amplifyuibuildermock"
	"github.com/uibuilder-go/amplifyuibuilder/types"
)

// In a test, inject the mock where the code takes the interface. Tests use
// NewClient(t), which also checks that every expectation was met.
func ExampleClient() {
	api := &amplifyuibuildermock.Client{}
	api.On("ExchangeCodeForToken", mock.Anything, mock.MatchedBy(func(in *amplifyuibuilder.ExchangeCodeForTokenInput) bool {
		return aws.ToString(in.Request.Code) == "code-1"
	})).Return(&amplifyuibuilder.ExchangeCodeForTokenOutput{ExpiresIn: aws.Int32(3600)}, nil)

	var exchanger amplifyuibuilder.ExchangeCodeForTokenAPI = api
	out, err := exchanger.ExchangeCodeForToken(context.Background(), &amplifyuibuilder.ExchangeCodeForTokenInput{
		Provider: types.TokenProvidersFigma,
		Request:  &types.ExchangeCodeForTokenRequestBody{Code: aws.String("code-1"), RedirectUri: aws.String("https://app.example/cb")},
	})

	fmt.Println(*out.ExpiresIn, err)
	// Output: 3600 <nil>
}
