namespace ChatDemo.Web.Lambda;

/// <summary>
/// Told about each invocation after the app has handled it and just before its result is posted
/// to the Runtime API: the last moment anything of the invocation can be written, since Lambda
/// may freeze the sandbox as soon as the result arrives (metrics and spans are flushed here).
/// </summary>
public interface ILambdaInvocationObserver
{
    void BeforeResult(LambdaInvocation invocation);
}
