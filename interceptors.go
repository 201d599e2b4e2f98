package amplifyuibuilder

import (
	"errors"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// addInterceptors places the smithy-go interceptor middlewares where the
// aws-sdk-go-v2 clients place them. They are all or nothing: the execution
// middleware creates the context the others write to. A client without
// interceptors pays nothing for them.
func addInterceptors(stack *middleware.Stack, o Options) error {
	i := o.Interceptors
	if len(i.BeforeExecution)+len(i.AfterExecution)+len(i.BeforeSerialization)+len(i.AfterSerialization)+
		len(i.BeforeRetryLoop)+len(i.BeforeAttempt)+len(i.AfterAttempt)+len(i.BeforeSigning)+len(i.AfterSigning)+
		len(i.BeforeTransmit)+len(i.AfterTransmit)+len(i.BeforeDeserialization)+len(i.AfterDeserialization) == 0 {
		return nil
	}
	return errors.Join(
		stack.Initialize.Add(&smithyhttp.InterceptExecution{
			BeforeExecution: i.BeforeExecution, AfterExecution: i.AfterExecution,
		}, middleware.Before),
		stack.Serialize.Insert(&smithyhttp.InterceptBeforeSerialization{Interceptors: i.BeforeSerialization},
			"OperationSerializer", middleware.Before),
		stack.Serialize.Insert(&smithyhttp.InterceptAfterSerialization{Interceptors: i.AfterSerialization},
			"OperationSerializer", middleware.After),
		stack.Finalize.Insert(&smithyhttp.InterceptBeforeRetryLoop{Interceptors: i.BeforeRetryLoop},
			"Retry", middleware.Before),
		stack.Finalize.Insert(&smithyhttp.InterceptAttempt{
			BeforeAttempt: i.BeforeAttempt, AfterAttempt: i.AfterAttempt,
		}, "Retry", middleware.After),
		stack.Finalize.Insert(&smithyhttp.InterceptBeforeSigning{Interceptors: i.BeforeSigning},
			"Signing", middleware.Before),
		stack.Finalize.Insert(&smithyhttp.InterceptAfterSigning{Interceptors: i.AfterSigning},
			"Signing", middleware.After),
		stack.Deserialize.Add(&smithyhttp.InterceptTransmit{
			BeforeTransmit: i.BeforeTransmit, AfterTransmit: i.AfterTransmit,
		}, middleware.After),
		// The deserialize step runs inside out: After places a middleware
		// closer to the transport, so it sees the response first.
		stack.Deserialize.Insert(&smithyhttp.InterceptBeforeDeserialization{Interceptors: i.BeforeDeserialization},
			"OperationDeserializer", middleware.After),
		stack.Deserialize.Insert(&smithyhttp.InterceptAfterDeserialization{Interceptors: i.AfterDeserialization},
			"OperationDeserializer", middleware.Before),
	)
}
