// Executes statemachine/message-distribution.asl.json locally with aws-local-stepfunctions, for
// WorkflowExecutionTests. Usage: node run-workflow.mjs <run.json>, where run.json holds
//   definitionPath   the ASL file
//   substitutions    the template's DefinitionSubstitutions ({ "ConnectionsTable": "…", … })
//   connectionsPath  a JSON file [{ "connectionId": "…", "room": "…" }, …]: the room's connections
//                    (not needed with dynamoDbEndpoint)
//   connectionsTable optional: the template's CreateTable properties of the connections table.
//                    When given, the connections are written to a dynalite (a DynamoDB-compatible
//                    engine) table created from them and the Query tasks run against it; otherwise
//                    the Query tasks answer from the file as DynamoDB would
//   dynamoDbEndpoint optional: a running DynamoDB-compatible engine whose table (ConnectionsTable)
//                    already holds the connections, e.g. the app's own table on the tests' dynalite
//   pageItemCap      most items one Query page returns (DynamoDB also stops a page at 1 MB, so a
//                    page may hold fewer items than Limit; a small cap exercises the paging loop)
//   deliverUrl       where each delivery batch is POSTed, standing in for the function; or
//   invokeEndpoint   the base URL of a Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations)
//                    that runs the real function, e.g. the tests' emulated Runtime API
//   input            the EventBridge event that starts the execution
// Prints one JSON object: { status, output | error, cause, queries, invocations, retries,
// maxStateBytes, maxStateName }.
// The overrides check what they receive, as the real services would, and fail loudly otherwise.
import { readFile } from "node:fs/promises";

// aws-local-stepfunctions 3.x calls Promise.withResolvers, which Node 20 lacks.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
const { StateMachine } = await import("aws-local-stepfunctions");

const run = JSON.parse(await readFile(process.argv[2], "utf8"));
let definitionText = await readFile(run.definitionPath, "utf8");
for (const [name, value] of Object.entries(run.substitutions)) {
  definitionText = definitionText.replaceAll("${" + name + "}", value);
}
if (/\$\{[A-Za-z]+\}/.test(definitionText)) throw new Error("unsubstituted DefinitionSubstitutions placeholder left in the ASL");
const definition = JSON.parse(definitionText);

const index = run.connectionsPath ? JSON.parse(await readFile(run.connectionsPath, "utf8")) : [];
const dynalite = run.dynamoDbEndpoint ? dynamoDbAt(run.dynamoDbEndpoint)
  : run.connectionsTable ? await startDynalite(run.connectionsTable, index) : null;
const queries = [];
let invocations = 0;

function awsError(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

// DynamoDB's JSON 1.0 protocol at url (dynalite wants a SigV4-shaped header; it checks no signature).
function dynamoDbAt(url) {
  async function call(operation, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `DynamoDB_20120810.${operation}`,
        "x-amz-date": "20261126T101530Z",
        authorization: "AWS4-HMAC-SHA256 Credential=local/20261126/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
      },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw awsError(`DynamoDb.${String(answer.__type ?? "Unknown").split("#").pop()}`, answer.message ?? answer.Message ?? JSON.stringify(answer));
    return answer;
  }
  return { call };
}

// A dynalite server in this process, holding the connections in a table created from the
// template's definition of the connections table.
async function startDynalite(table, items) {
  const { default: createServer } = await import("dynalite");
  const server = createServer({ createTableMs: 0 });
  // Node closes an idle keep-alive socket after 5 s; on a loaded machine fetch could pick that
  // socket for the next Query just as it closed ("fetch failed"). Keep them open for the run.
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { call } = dynamoDbAt(`http://127.0.0.1:${server.address().port}`);
  await call("CreateTable", {
    TableName: run.substitutions.ConnectionsTable,
    BillingMode: table.BillingMode,
    AttributeDefinitions: table.AttributeDefinitions,
    KeySchema: table.KeySchema,
    GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
  });
  for (let i = 0; i < items.length; i += 25) {
    const puts = items.slice(i, i + 25).map((c) => ({
      PutRequest: { Item: { connectionId: { S: c.connectionId }, room: { S: c.room }, userId: { S: `u_${i}` }, connectedAt: { N: String(1764152130000 + i) } } },
    }));
    const result = await call("BatchWriteItem", { RequestItems: { [run.substitutions.ConnectionsTable]: puts } });
    if (Object.keys(result.UnprocessedItems ?? {}).length > 0) throw new Error("dynalite left items unprocessed");
  }
  return { call, close: () => server.close() };
}

// DynamoDB Query on the ByRoom index: sorted by the index's sort key (connectionId), at most
// Limit items, and LastEvaluatedKey (table key + index key) whenever the page stopped early,
// including when exactly Limit items remained, as DynamoDB does.
async function query(request) {
  queries.push({ Limit: request.Limit, ExclusiveStartKey: request.ExclusiveStartKey ?? null });
  const expect = (condition, what) => { if (!condition) throw awsError("DynamoDb.ValidationException", `unexpected Query request: ${what}: ${JSON.stringify(request)}`); };
  expect(request.TableName === run.substitutions.ConnectionsTable, "TableName");
  expect(request.IndexName === "ByRoom", "IndexName");
  const roomName = Object.entries(request.ExpressionAttributeNames ?? {}).find(([, v]) => v === "room")?.[0];
  expect(roomName && request.KeyConditionExpression === `${roomName} = :room`, "KeyConditionExpression");
  const room = request.ExpressionAttributeValues?.[":room"]?.S;
  expect(typeof room === "string", "ExpressionAttributeValues :room");
  expect(Number.isInteger(request.Limit) && request.Limit >= 1, "Limit");
  expect(request.ProjectionExpression === "connectionId", "ProjectionExpression");
  if (dynalite) return dynalite.call("Query", { ...request, Limit: Math.min(request.Limit, run.pageItemCap ?? request.Limit) });

  const roomItems = index.filter((c) => c.room === room)
    .sort((a, b) => (a.connectionId < b.connectionId ? -1 : a.connectionId > b.connectionId ? 1 : 0));
  let start = 0;
  if (request.ExclusiveStartKey) {
    expect(request.ExclusiveStartKey.room?.S === room, "ExclusiveStartKey.room");
    const after = request.ExclusiveStartKey.connectionId?.S;
    start = roomItems.findIndex((c) => c.connectionId > after);
    if (start < 0) start = roomItems.length;
  }
  const size = Math.min(request.Limit, run.pageItemCap ?? request.Limit);
  const page = roomItems.slice(start, start + size);
  const response = {
    Count: page.length,
    ScannedCount: page.length,
    Items: page.map((c) => ({ connectionId: { S: c.connectionId } })),
  };
  if (page.length === size) {
    const last = page[page.length - 1];
    response.LastEvaluatedKey = { connectionId: { S: last.connectionId }, room: { S: room } };
  }
  return response;
}

// lambda:invoke: the payload goes to the stand-in for the function; the answer comes back in
// the integration's shape. HTTP statuses map to the errors the Lambda Invoke API raises.
async function invokeFunction(request) {
  invocations++;
  if (request.FunctionName !== run.substitutions.DeliveryFunctionArn) {
    throw awsError("Lambda.ResourceNotFoundException", `unexpected FunctionName ${request.FunctionName}`);
  }
  if (run.invokeEndpoint) return invokeLambda(request);
  const response = await invokeOverHttp(run.deliverUrl, request.Payload);
  const body = await response.text();
  if (response.status === 429) throw awsError("Lambda.TooManyRequestsException", body || "Rate Exceeded.");
  if (response.status >= 500) throw awsError("Lambda.ServiceException", body || `status ${response.status}`);
  if (response.status !== 200) throw awsError("Lambda.Unknown", `status ${response.status}: ${body}`);
  return { StatusCode: 200, ExecutedVersion: "$LATEST", Payload: JSON.parse(body) };
}

// One invocation request. A request that never got an answer (connection refused or reset) is
// what Step Functions reports as Lambda.SdkClientException, which the workflow retries.
async function invokeOverHttp(url, payload) {
  try {
    return await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
  } catch (error) {
    throw awsError("Lambda.SdkClientException", `${error.message}: ${error.cause?.code ?? error.cause?.message ?? "no answer"}`);
  }
}

// Lambda's Invoke API (RequestResponse). A function error is a 200 with X-Amz-Function-Error;
// Step Functions then fails the task with the function's errorType as the error name and the
// error body as the cause. Throttling and service faults map as the Invoke API defines them.
async function invokeLambda(request) {
  const url = new URL(`2015-03-31/functions/${encodeURIComponent(request.FunctionName)}/invocations`, run.invokeEndpoint);
  const response = await invokeOverHttp(url, request.Payload);
  const body = await response.text();
  if (response.status === 429) throw awsError("Lambda.TooManyRequestsException", body || "Rate Exceeded.");
  if (response.status === 404) throw awsError("Lambda.ResourceNotFoundException", body);
  if (response.status >= 500) throw awsError("Lambda.ServiceException", body || `status ${response.status}`);
  if (response.status !== 200) throw awsError("Lambda.Unknown", `status ${response.status}: ${body}`);
  if (response.headers.get("x-amz-function-error")) {
    let errorType = "Lambda.Unknown";
    try { errorType = JSON.parse(body).errorType ?? errorType; } catch { /* not JSON: keep the generic name */ }
    throw awsError(errorType, body);
  }
  return { StatusCode: 200, ExecutedVersion: response.headers.get("x-amz-executed-version") ?? "$LATEST", Payload: JSON.parse(body) };
}

const stateMachine = new StateMachine(definition);
const execution = stateMachine.run(run.input, {
  overrides: {
    taskResourceLocalHandlers: { QueryFirstPage: query, QueryNextPage: query, DeliverBatch: invokeFunction },
    // The template's backoff (seconds, with jitter) is AWS's business; locally retry at once.
    retryIntervalOverrides: { QueryFirstPage: 0, QueryNextPage: 0, DeliverBatch: 0 },
  },
});

// Step Functions limits every state's input and output to 256 KB (UTF-8 JSON): measure them.
let retries = 0;
let maxStateBytes = 0;
let maxStateName = null;
const watching = (async () => {
  for await (const event of execution.eventLogs) {
    if (event.type === "StateRetried") retries++;
    for (const data of [event.state?.input, event.state?.output]) {
      if (data === undefined) continue;
      const bytes = Buffer.byteLength(JSON.stringify(data), "utf8");
      if (bytes > maxStateBytes) { maxStateBytes = bytes; maxStateName = event.state.name; }
    }
  }
})();

let summary;
try {
  const output = await execution.result;
  summary = { status: "SUCCEEDED", output };
} catch (error) {
  const cause = error.cause ?? error;
  const why = cause.cause?.code ?? cause.cause?.message;
  summary = { status: "FAILED", error: cause.name, cause: why ? `${cause.message} (${why})` : cause.message };
}
await watching.catch(() => {});
// Exit at once rather than wait for fetch's idle keep-alive connections to close.
process.stdout.write(JSON.stringify({ ...summary, queries, invocations, retries, maxStateBytes, maxStateName }) + "\n", () => process.exit(0));
