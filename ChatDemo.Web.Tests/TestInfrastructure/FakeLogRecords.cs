using Microsoft.Extensions.Logging.Testing;

namespace ChatDemo.Web.Tests.TestInfrastructure;

public static class FakeLogRecords
{
    /// <summary>
    /// Everything a log sink could write for <paramref name="record"/>: its message, every structured
    /// value, every scope and the exception, so a test can search all of it for a secret.
    /// </summary>
    public static string Everything(this FakeLogRecord record) =>
        string.Join(" | ",
            $"{record.Level} {record.Category}[{record.Id.Id}] {record.Message}",
            string.Join("; ", record.StructuredState?.Select(v => $"{v.Key}={v.Value}") ?? []),
            string.Join("; ", record.Scopes.Select(Describe)),
            record.Exception?.ToString() ?? "");

    private static string Describe(object? scope) => scope is IEnumerable<KeyValuePair<string, object?>> values
        ? string.Join("; ", values.Select(v => $"{v.Key}={v.Value}"))
        : scope?.ToString() ?? "";
}
