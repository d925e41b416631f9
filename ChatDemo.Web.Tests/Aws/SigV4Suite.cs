using System.Text;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Aws;

/// <summary>
/// One case of the AWS SigV4 test suite in <c>Fixtures/sigv4/</c> (where it came from: its SOURCES.md):
/// the raw request and the expected canonical request, string to sign and Authorization.
/// </summary>
public sealed record SigV4SuiteCase(string Name, ReceivedRequest Request, string CanonicalRequest, string StringToSign, string Authorization)
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string AmzDate = "20150830T123600Z";
    public const string Scope = "20150830/us-east-1/service/aws4_request";
    public static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    /// <summary>The session token of the suite's get-vanilla-with-session-token case (it is only in its .creq).</summary>
    public const string VanillaSessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

    /// <summary>The headers the suite signs, from its Authorization.</summary>
    public IReadOnlyList<string> SignedHeaders => Authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');

    public string? SessionToken => Name switch
    {
        "get-vanilla-with-session-token" => VanillaSessionToken,
        "post-sts-header-before" => Request.Header("X-Amz-Security-Token"),
        _ => null,
    };

    public static SigV4SuiteCase Load(string name)
    {
        var folder = Directory.GetDirectories(SigV4SuiteFolder(), name, SearchOption.AllDirectories).Single();
        string Read(string extension) => File.ReadAllText(Path.Combine(folder, name + extension), Encoding.UTF8).Replace("\r", "");
        return new SigV4SuiteCase(name, ParseRequest(Read(".req")), Read(".creq"), Read(".sts"), Read(".authz"));
    }

    /// <summary>The suite's folder, copied beside the test assembly from <c>Fixtures/sigv4</c>.</summary>
    public static string SigV4SuiteFolder() => Fixtures.Folder("sigv4");

    /// <summary>Parses a suite .req: request line, <c>Name:value</c> header lines, a blank line, the body.</summary>
    private static ReceivedRequest ParseRequest(string raw)
    {
        var lines = raw.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ')];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(' ')];
        var headers = new List<KeyValuePair<string, string>>();
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':');
            headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..]));
        }
        var body = i < lines.Length ? string.Join('\n', lines[(i + 1)..]) : "";
        return new ReceivedRequest(method, target, headers, Encoding.UTF8.GetBytes(body));
    }
}
