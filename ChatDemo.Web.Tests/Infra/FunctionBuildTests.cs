using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;

namespace ChatDemo.Web.Tests.Infra;

/// <summary>
/// The function's build step (infra/Makefile, <c>BuildMethod: makefile</c>) run as <c>sam build</c>
/// runs it, and what it made: the app, as ReadyToRun code for the template's architecture, with the
/// measured publish settings, and nothing else.
/// </summary>
[Collection(FunctionBuild.Collection)]
public sealed class FunctionBuildTests(FunctionBuild build) : IClassFixture<FunctionBuild>
{
    // Lambda allows 250 MB unzipped. The package is about 13 MB; a self-contained publish (the
    // whole runtime, +70 MB) or test assemblies slipping in would break this bound.
    private const long MaxPackageBytes = 25L * 1024 * 1024;

    // crossgen2 marks a ReadyToRun image for Linux by XOR-ing the machine type with this value, so
    // that Windows' loader never takes it for a native image of its own (IMAGE_FILE_MACHINE_*
    // "native OS override" in the runtime's readytorun.h).
    private const ushort LinuxMachineOverride = 0x7B79;

    private const uint ReadyToRunSignature = 0x00525452; // "RTR"

    [Fact]
    public void TheAppsAssemblyIsReadyToRunCodeForTheFunctionsArchitecture()
    {
        var assembly = Path.Combine(build.Output, "ChatDemo.Web.dll");
        Assert.True(File.Exists(assembly), $"No ChatDemo.Web.dll in the build output: {string.Join(", ", build.Files)}");

        AssertReadyToRunFor(assembly, build.Expected.Pe);
    }

    [Fact]
    public void EveryManagedAssemblyOfThePackageIsReadyToRunForTheFunctionsArchitecture()
    {
        var assemblies = build.Files.Where(f => f.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        Assert.Contains("AWSSDK.Core.dll", assemblies);
        foreach (var assembly in assemblies) AssertReadyToRunFor(Path.Combine(build.Output, assembly), build.Expected.Pe);
    }

    [Fact]
    public void NativeLibrariesAreForTheFunctionsArchitecture()
    {
        var libraries = build.Files.Where(f => f.EndsWith(".so", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(libraries); // SQLite's, shipped because the same binary runs under Kestrel
        foreach (var library in libraries)
        {
            var header = new byte[20];
            using (var file = File.OpenRead(Path.Combine(build.Output, library))) file.ReadExactly(header);
            Assert.True(header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8), $"{library} is not an ELF file.");
            Assert.Equal(build.Expected.Elf, BitConverter.ToUInt16(header, 18));
        }
    }

    [Fact]
    public void ThePackageCarriesTheMeasuredRuntimeSettings()
    {
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(build.Output, "ChatDemo.Web.runtimeconfig.json")))!["runtimeOptions"]!;
        var settings = runtimeConfig["configProperties"]!;
        Assert.Equal(false, (bool?)settings["System.GC.Server"]);
        Assert.Equal(false, (bool?)settings["System.GC.Concurrent"]);
        Assert.Equal(true, (bool?)settings["System.Runtime.TieredPGO"]);
        Assert.Equal(true, (bool?)settings["System.Globalization.Invariant"]);
        // Framework-dependent: the managed dotnet10 runtime supplies ASP.NET Core.
        Assert.Contains(runtimeConfig["frameworks"]!.AsArray(), f => (string?)f!["name"] == "Microsoft.AspNetCore.App"
            && ((string)f["version"]!).StartsWith("10.", StringComparison.Ordinal));
        Assert.DoesNotContain("System.Private.CoreLib.dll", build.Files);
    }

    [Fact]
    public void ThePackageIsWhatTheManagedRuntimeStartsAndThePageItServes()
    {
        // The Handler is the assembly's name: the dotnet10 runtime runs ChatDemo.Web.dll with its
        // runtimeconfig and deps files. No bootstrap (that is provided.al2023's entry) and no apphost.
        Assert.Equal("ChatDemo.Web", (string?)build.Template.Properties("ChatFunction")["Handler"]);
        foreach (var file in new[] { "ChatDemo.Web.dll", "ChatDemo.Web.runtimeconfig.json", "ChatDemo.Web.deps.json", "appsettings.json", "wwwroot/index.html" })
            Assert.Contains(file, build.Files);
        Assert.DoesNotContain("bootstrap", build.Files);
        Assert.DoesNotContain("ChatDemo.Web", build.Files);
    }

    [Fact]
    public void ThePackageHoldsNoTestBenchOrBuildLeftoversAndStaysSmall()
    {
        string[] forbidden = ["Tests", "Bench", "xunit", "testhost", "Playwright", "YamlDotNet", "Mvc.Testing", "TimeProvider.Testing", "TestPlatform", "obj/", "bin/"];
        foreach (var file in build.Files)
            Assert.False(forbidden.Any(f => file.Contains(f, StringComparison.OrdinalIgnoreCase)), $"{file} does not belong in the function's package.");

        var bytes = build.Files.Sum(f => new FileInfo(Path.Combine(build.Output, f)).Length);
        Assert.InRange(bytes, 1L * 1024 * 1024, MaxPackageBytes);
    }

    private static void AssertReadyToRunFor(string path, Machine machine)
    {
        using var reader = new PEReader(File.OpenRead(path));
        var headers = reader.PEHeaders;
        var name = Path.GetFileName(path);
        Assert.True(headers.CorHeader is not null, $"{name} is not a managed assembly.");
        Assert.True((headers.CorHeader!.Flags & CorFlags.ILLibrary) != 0, $"{name} is IL only, not ReadyToRun code.");
        var native = headers.CorHeader.ManagedNativeHeaderDirectory;
        Assert.True(native.Size > 0, $"{name} has no ReadyToRun header.");
        Assert.Equal(ReadyToRunSignature, reader.GetSectionData(native.RelativeVirtualAddress).GetReader().ReadUInt32());
        Assert.True((ushort)headers.CoffHeader.Machine == ((ushort)machine ^ LinuxMachineOverride),
            $"{name}: machine 0x{(ushort)headers.CoffHeader.Machine:X4}, expected {machine} for Linux (0x{(ushort)machine ^ LinuxMachineOverride:X4}).");
    }
}

/// <summary>The template's build settings and the Makefile's own checks, without building.</summary>
public sealed class MakefileTests
{
    private readonly CloudFormationTemplate _template = CloudFormationTemplate.Load(Repository.TemplatePath);

    [Fact]
    public void TheTemplateBuildsTheFunctionWithTheMakefileTargetNamedForIt()
    {
        var function = _template.Resource("ChatFunction");
        Assert.Equal("makefile", (string?)function["Metadata"]!["BuildMethod"]);
        // The Makefile lives in infra/ (ContextPath, relative to the template), not in the app's folder.
        Assert.Equal(Path.GetDirectoryName(Repository.MakefilePath),
            Path.GetFullPath(Path.Combine(Repository.Root, "infra", (string)function["Metadata"]!["ContextPath"]!)));
        Assert.Contains("build-ChatFunction:", File.ReadAllText(Repository.MakefilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMakefileReadsTheArchitectureFromTheTemplate()
    {
        var result = await FunctionBuild.MakeAsync(["print-runtime-identifier"], Path.GetTempPath(), new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(FunctionBuild.ExpectedFor(_template).Rid, result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("arm64", "linux-arm64")]
    [InlineData("x86_64", "linux-x64")]
    [InlineData("mips", null)]
    [InlineData("arm64, x86_64", null)]
    public async Task TheMakefileMapsExactlyOneLambdaArchitectureToItsRuntimeIdentifier(string architectures, string? rid)
    {
        var template = Path.Combine(Path.GetTempPath(), $"chatdemo-template-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(template, (await File.ReadAllTextAsync(Repository.TemplatePath))
            .Replace("Architectures: [arm64]", $"Architectures: [{architectures}]", StringComparison.Ordinal));
        try
        {
            var result = await FunctionBuild.MakeAsync(["print-runtime-identifier", $"CHATFUNCTION_TEMPLATE={template}"], Path.GetTempPath(), new Dictionary<string, string>());

            if (rid is null)
            {
                Assert.NotEqual(0, result.ExitCode);
                Assert.Contains("exactly one of arm64, x86_64", result.StandardError, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.Equal(rid, result.StandardOutput.Trim());
            }
        }
        finally
        {
            File.Delete(template);
        }
    }

    [Fact]
    public async Task TheMakefileRefusesToBuildWithoutAnArtifactsFolder()
    {
        var result = await FunctionBuild.MakeAsync(["build-ChatFunction"], Path.GetTempPath(), new Dictionary<string, string> { ["ARTIFACTS_DIR"] = "" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ARTIFACTS_DIR is not set", result.StandardError, StringComparison.Ordinal);
    }
}

/// <summary>
/// The build runs by itself, after the tests that run in parallel: a Release build and ReadyToRun
/// compilation of every assembly take a minute on a quiet 2-core machine, and several when it shares
/// the cores with the rest of the suite.
/// </summary>
[CollectionDefinition(FunctionBuild.Collection, DisableParallelization = true)]
public sealed class FunctionBuildCollection;

/// <summary>
/// Runs <c>make build-ChatFunction</c> once for the class, the way <c>sam build</c> does: with
/// <c>--makefile</c> pointing at infra/Makefile, from a scratch folder of its own, and
/// <c>ARTIFACTS_DIR</c> set to an empty folder.
/// </summary>
public sealed class FunctionBuild : IAsyncLifetime
{
    public const string Collection = "Function build";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatdemo-tests", "function-build-" + Guid.NewGuid().ToString("N"));

    internal CloudFormationTemplate Template { get; } = CloudFormationTemplate.Load(Repository.TemplatePath);

    public string Output => Path.Combine(_folder, "artifacts");

    /// <summary>The package's files, relative to <see cref="Output"/>, with '/' separators.</summary>
    public IReadOnlyList<string> Files { get; private set; } = [];

    internal (Machine Pe, ushort Elf, string Rid) Expected { get; private set; }

    /// <summary>The PE machine type, ELF e_machine and .NET runtime identifier of ChatFunction's one architecture.</summary>
    internal static (Machine Pe, ushort Elf, string Rid) ExpectedFor(CloudFormationTemplate template) =>
        Assert.Single(template.Properties("ChatFunction")["Architectures"]!.AsArray())?.GetValue<string>() switch
        {
            "arm64" => (Machine.Arm64, 183, "linux-arm64"),
            "x86_64" => (Machine.Amd64, 62, "linux-x64"),
            var other => throw new InvalidDataException($"ChatFunction's architecture '{other}' is none of Lambda's."),
        };

    public async Task InitializeAsync()
    {
        Expected = ExpectedFor(Template);

        var scratch = Path.Combine(_folder, "scratch");
        Directory.CreateDirectory(scratch);
        Directory.CreateDirectory(Output);
        var result = await MakeAsync(["build-ChatFunction"], scratch, new Dictionary<string, string> { ["ARTIFACTS_DIR"] = Output });
        Assert.True(result.ExitCode == 0, $"make build-ChatFunction failed: {result}");
        Files = Directory.EnumerateFiles(Output, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Output, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    internal static Task<ProcessResult> MakeAsync(IEnumerable<string> targets, string workingDirectory, IReadOnlyDictionary<string, string> environment) =>
        Repository.RunAsync("make", ["--makefile", Repository.MakefilePath, .. targets], workingDirectory, BuildTimeout,
            "GNU make is required for the function's build step (Debian: apt-get install make)", environment);
}
