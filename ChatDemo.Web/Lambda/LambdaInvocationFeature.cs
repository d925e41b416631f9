namespace ChatDemo.Web.Lambda;

/// <summary>
/// The Lambda invocation a request came from, set by the adapter on every request it makes: the
/// request id, the deadline (so work can stop before Lambda kills it) and the X-Ray trace id.
/// </summary>
public interface ILambdaInvocationFeature
{
    /// <summary><c>Lambda-Runtime-Aws-Request-Id</c>.</summary>
    string RequestId { get; }

    /// <summary><c>Lambda-Runtime-Deadline-Ms</c>: when Lambda stops the invocation.</summary>
    DateTimeOffset Deadline { get; }

    /// <summary><c>Lambda-Runtime-Trace-Id</c>, also in the <c>_X_AMZN_TRACE_ID</c> environment variable.</summary>
    string? TraceId { get; }

    /// <summary><c>Lambda-Runtime-Invoked-Function-Arn</c>.</summary>
    string? InvokedFunctionArn { get; }
}

/// <summary>One invocation pulled from the Runtime API's <c>next</c>.</summary>
public sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? TraceId,
    string? InvokedFunctionArn,
    ReadOnlyMemory<byte> Payload) : ILambdaInvocationFeature;
