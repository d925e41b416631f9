namespace ChatDemo.Web.Observability;

public static class LoggingSetup
{
    /// <summary>
    /// Outside Development, one JSON object per line (the framework's JSON console formatter)
    /// that a log service can query: every line carries the trace and span ids of the span it was
    /// written in (scopes on, with activity tracking), so a log line leads to its trace and back.
    /// Development keeps the readable console.
    /// </summary>
    public static WebApplicationBuilder AddChatLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (builder.Environment.IsDevelopment()) return builder;

        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            options.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        return builder;
    }
}
