using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// Every line the app's console would print, formatted by the app's own console formatter (the
/// JSON one outside Development) with the logger factory's scopes — trace and span ids
/// included — but kept in memory instead of racing other tests for the process's stdout.
/// </summary>
public sealed class FormattedConsoleLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private ConsoleFormatter? _formatter;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Adds this capture to an app's logging, with the formatter its console is configured to use.</summary>
    public void AddTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(provider =>
    {
        var name = provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName ?? ConsoleFormatterNames.Simple;
        _formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        return this;
    });

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(FormattedConsoleLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var output = new StringWriter();
            var console = owner._formatter ?? throw new InvalidOperationException("The capture was not added with AddTo.");
            console.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner._scopes, output);
            owner._lines.Enqueue(output.ToString());
        }
    }
}
