// The cost model of docs/aws-costs.md: dollars per million chat messages in a room of N
// connections, ChatDemo's AWS mode against the original demo's design. Run it with
//   dotnet run bench/AwsCosts/aws-costs.cs [--rate 1] [--post-ms 15]
// Every price and assumption is a named constant below; the doc says where each comes from.
using System.Globalization;

var rate = Arg("--rate", 1.0);        // messages per second in the room (only connection minutes depend on it)
var postMs = Arg("--post-ms", 15.0);  // one PostToConnection, call to answer, from inside the region

// Prices, us-east-1, first tier, read 2026-12-05 (docs/aws-costs.md lists the pages).
const double ApiGatewayMessage = 1.00e-6;       // per WebSocket message up to 32 KB, in or out
const double ApiGatewayConnectionMinute = 0.25e-6;
const double LambdaRequest = 0.20e-6;
const double LambdaGbSecondArm = 0.0000133334;
const double DynamoDbWrite = 0.625e-6;          // per write request unit (1 KB)
const double DynamoDbRead = 0.125e-6;           // per read request unit (4 KB consistent, 2 × 4 KB eventual)
const double EventBridgeEvent = 1.00e-6;        // per custom event up to 64 KB
const double StepFunctionsRequest = 1.00e-6;    // per Express execution
const double StepFunctionsGbSecond = 0.00001667; // Express duration, 100 ms increments, 64 MB chunks

// The template (infra/template.yaml) and the code.
const double LambdaGb = 1.0;                    // MemorySize: 1024, arm64
const int BatchSize = 100, PageSize = 1000, PostsInFlight = 16, BatchesInFlight = 10;
const double ConnectionItemBytes = 134;         // a connection item as DynamoDB sizes it (docs/aws-costs.md)

// Times: measured here (wave overhead) or assumed (AWS-side calls), see the latency budget.
var waveMs = postMs + 4;                        // bench/DeliveryBatch: ~4 ms per wave of 16 posts on top of the post itself
const double SendMs = 65;                       // sendMessage invocation: 6 DynamoDB calls (the send budget's included), PutEvents, the ack
const double QueryMs = 10, InvokeMs = 20, WorkflowOverheadMs = 20;
const double OriginalSendMs = 30;               // original: store the message, PutEvents
const double AsyncInvokeMs = 25;                // original: one asynchronous Invoke per recipient, from the Map

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"$ per million messages, 100-character texts, {rate} message/s in the room, one PostToConnection = {postMs} ms"));
Console.WriteLine();
Console.WriteLine("| room | design | API GW messages | connection min | Lambda requests | Lambda GB-s | DynamoDB | EventBridge | Step Functions | total | per delivery |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var n in new[] { 2, 10, 100, 1_000, 10_000 })
{
    Row(n, "ChatDemo", ChatDemo(n), n);
    Row(n, "original", Original(n), n - 1);
}
return;

Cost ChatDemo(int n)
{
    var batches = Batches(n, BatchSize).ToList();
    var pages = Batches(n, PageSize).ToList();
    var lambdaMs = SendMs + batches.Sum(b => Math.Ceiling(b / (double)PostsInFlight) * waveMs);
    // Pages one after the other; each page's batches 10 at a time, each taking an Invoke plus the batch.
    var workflowMs = WorkflowOverheadMs + pages.Sum(p =>
        QueryMs + Math.Ceiling(Math.Ceiling(p / (double)BatchSize) / BatchesInFlight) * (InvokeMs + Math.Ceiling(Math.Min(p, BatchSize) / (double)PostsInFlight) * waveMs));
    var reads = 2 /* consistent GetItem: the sender's connection, the claim */ + pages.Sum(p => QueryReadUnits(p));
    // UpdateItem send budget (one when the user's bucket is full: sends at a chat's pace; two within a
    // burst), UpdateItem seq counter, PutItem claim, PutItem message (each ≤ 1 KB at 100 characters).
    var writes = 4;
    return new Cost(
        ApiGateway: (1 + 1 + n) * ApiGatewayMessage,    // sendMessage in, the ack, n deliveries
        Connections: n / (60 * rate) * ApiGatewayConnectionMinute,
        LambdaRequests: (1 + batches.Count) * LambdaRequest,
        LambdaCompute: lambdaMs / 1000 * LambdaGb * LambdaGbSecondArm,
        DynamoDb: writes * DynamoDbWrite + reads * DynamoDbRead,
        EventBridge: EventBridgeEvent,
        StepFunctions: StepFunctionsRequest + Math.Ceiling(workflowMs / 100) * 0.1 * 0.0625 * StepFunctionsGbSecond);
}

Cost Original(int n)
{
    var recipients = n - 1; // the sender's own connection is skipped
    var workflowMs = WorkflowOverheadMs + QueryMs + Math.Ceiling(recipients / (double)BatchesInFlight) * AsyncInvokeMs;
    return new Cost(
        ApiGateway: (1 + recipients) * ApiGatewayMessage,  // no ack
        Connections: n / (60 * rate) * ApiGatewayConnectionMinute,
        LambdaRequests: (1 + recipients) * LambdaRequest,
        LambdaCompute: (OriginalSendMs + recipients * waveMs) / 1000 * LambdaGb * LambdaGbSecondArm,
        DynamoDb: 1 * DynamoDbWrite + QueryReadUnits(n) * DynamoDbRead,
        EventBridge: EventBridgeEvent,
        // 64 MB is a lower bound: every Map iteration holds a copy of the whole connection list.
        StepFunctions: StepFunctionsRequest + Math.Ceiling(workflowMs / 100) * 0.1 * 0.0625 * StepFunctionsGbSecond);
}

// A Query on the ByRoom index: eventually consistent, half a unit per 4 KB of index entries read (rounded up per page).
static double QueryReadUnits(int items) => Math.Max(1, Math.Ceiling(items * ConnectionItemBytes / 4096)) * 0.5;

static IEnumerable<int> Batches(int n, int size)
{
    for (var left = n; left > 0; left -= size) yield return Math.Min(size, left);
}

static void Row(int n, string design, Cost c, int deliveries)
{
    static string D(double perMessage) => (perMessage * 1e6).ToString(perMessage * 1e6 < 10 ? "N2" : "N0", CultureInfo.InvariantCulture);
    Console.WriteLine($"| {n.ToString("N0", CultureInfo.InvariantCulture)} | {design} | {D(c.ApiGateway)} | {D(c.Connections)} | {D(c.LambdaRequests)} | {D(c.LambdaCompute)} | {D(c.DynamoDb)} | {D(c.EventBridge)} | {D(c.StepFunctions)} | **{D(c.Total)}** | {(c.Total / deliveries * 1e6).ToString("N2", CultureInfo.InvariantCulture)} |");
}

double Arg(string name, double fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Cost(double ApiGateway, double Connections, double LambdaRequests, double LambdaCompute, double DynamoDb, double EventBridge, double StepFunctions)
{
    public double Total => ApiGateway + Connections + LambdaRequests + LambdaCompute + DynamoDb + EventBridge + StepFunctions;
}
