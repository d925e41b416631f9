namespace ChatDemo.Web.Hosting;

/// <summary>
/// The <c>[LoggerMessage]</c> event ids: one range per area (namespace), so that an id alone
/// names the code that logged it and no two events share one. Unit/LogEventIdTests checks every
/// <c>[LoggerMessage]</c> of the app against this table.
/// </summary>
public static class LogEventIds
{
    public static readonly IReadOnlyDictionary<string, (int First, int Last)> Ranges = new Dictionary<string, (int, int)>
    {
        ["Chat"] = (1, 99),
        ["Health"] = (100, 199),
        ["WebSockets"] = (200, 299),
        ["Storage.Sqlite"] = (300, 399),
        ["Storage.DynamoDb"] = (400, 499),
        ["Lambda"] = (500, 599),
        ["Aws"] = (600, 699),
        ["Delivery"] = (700, 799),
        ["ApiGatewayWebSockets"] = (800, 899),
        ["Accounts"] = (900, 999),
        ["Sessions"] = (1000, 1099),
        ["Rooms"] = (1100, 1199),
    };
}
