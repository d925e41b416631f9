namespace ChatDemo.Web.Lambda;

internal static partial class LambdaLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Lambda hosting: serving invocations from the Runtime API at {RuntimeApi}")]
    public static partial void Serving(ILogger logger, string runtimeApi);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Invocation {RequestId} refused: {ErrorType}: {Reason}")]
    public static partial void EventRefused(ILogger logger, string requestId, string errorType, string reason);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Invocation {RequestId}: {Shape} event for internal path {Path} answered 404")]
    public static partial void InternalPathRefused(ILogger logger, string requestId, LambdaEventShape shape, string path);

    [LoggerMessage(EventId = 503, Level = LogLevel.Error, Message = "Invocation {RequestId}: unhandled exception, answered 500")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "Invocation {RequestId}: the response ({Bytes} bytes or more) is over Lambda's {Limit}-byte limit")]
    public static partial void ResponseTooLarge(ILogger logger, string requestId, long bytes, int limit);

    [LoggerMessage(EventId = 505, Level = LogLevel.Error, Message = "Invocation {RequestId}: direct invocation answered {StatusCode}; reported as an invocation error")]
    public static partial void DirectInvocationFailed(ILogger logger, string requestId, int statusCode);

    [LoggerMessage(EventId = 506, Level = LogLevel.Critical, Message = "The Lambda Runtime API failed; stopping")]
    public static partial void RuntimeApiFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 507, Level = LogLevel.Error, Message = "Invocation {RequestId}: its result could not be posted to the Runtime API")]
    public static partial void PostFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 508, Level = LogLevel.Error, Message = "Invocation {RequestId}: an OnCompleted callback failed")]
    public static partial void OnCompletedFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 509, Level = LogLevel.Warning, Message = "Invocation {RequestId}: an invocation observer failed; the result is posted all the same")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string requestId);
}
