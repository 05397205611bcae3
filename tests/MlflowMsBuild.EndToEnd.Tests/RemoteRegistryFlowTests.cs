using System.IO.Compression;
using System.Text;
using MlflowMsBuild.EndToEnd.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// The samples' publish → test flow with the packed package against the loopback test server, in both
/// flavours, and the proof that tokens reach neither the diagnostic log nor a binary log.
/// </summary>
[TestClass]
public sealed class RemoteRegistryFlowTests
{
    private const string Token = "glpat-e2e-SECRET-7f3a9c";
    private const string ProjectPath = "group/sub/project";

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow, "1")]
    [DataRow(RegistryFlavor.GitLab, "1.0.0")]
    public async Task SamplesPublishAndTestAgainstTheServer(RegistryFlavor flavor, string expectedVersion)
    {
        await using var server = await StartAsync(flavor);
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.CopySample("Classifier");
        workspace.CopySample("Classifier.Tests");
        workspace.CommitAll("samples");
        var registry = Configure(workspace, server);

        var publish = workspace.DotNet("build", "samples/Classifier", "-t:PublishModel", registry);
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, $"Published model 'test-classifier' version {expectedVersion} ");

        var test = workspace.DotNet("test", "samples/Classifier.Tests", registry);
        Assert.AreEqual(0, test.ExitCode, test.ToString());
        Assert.IsTrue(File.Exists(workspace.PathOf("samples", "Classifier.Tests", "obj", "models", "test-classifier", "1", "model.zip")));
        Assert.IsGreaterThan(0, server.RequestLog.Count("GET artifacts"), "the model came over HTTP");
        Assert.IsFalse(Directory.Exists(Path.Combine(workspace.Home, "registry")), "nothing went to the embedded registry");
    }

    [TestMethod]
    [DataRow("environment")]
    [DataRow("python-gitlab.cfg")]
    public async Task TokenAppearsNeitherInDiagnosticOutputNorInTheBinaryLog(string tokenSource)
    {
        await using var server = await StartAsync(RegistryFlavor.GitLab);
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer("test-generated", "1"));
        workspace.CommitAll("projects");
        var registry = Configure(workspace, server);
        if (tokenSource == "python-gitlab.cfg")
        {
            workspace.Environment.Remove("GITLAB_TOKEN");
            var config = Path.Combine(workspace.Home, "python-gitlab.cfg");
            Directory.CreateDirectory(workspace.Home);
            File.WriteAllText(config, $"[global]\ndefault = e2e\n\n[e2e]\nurl = {server.BaseAddress.AbsoluteUri.TrimEnd('/')}\nprivate_token = {Token}\n");
            workspace.Environment["PYTHON_GITLAB_CFG"] = config;
        }

        var binlog = workspace.PathOf("publish.binlog");
        var publish = workspace.DotNet("build", "Trainer", "-t:PublishModel", "-p:MlflowModelName=test-generated", registry, "-v:diag", "-bl:" + binlog);
        var restoreBinlog = workspace.PathOf("restore.binlog");
        var restore = workspace.DotNet("build", "Consumer", registry, "-v:diag", "-bl:" + restoreBinlog);

        Assert.AreEqual(0, publish.ExitCode, publish.Output[^Math.Min(4000, publish.Output.Length)..]);
        Assert.AreEqual(0, restore.ExitCode, restore.Output[^Math.Min(4000, restore.Output.Length)..]);
        Assert.IsTrue(server.RequestLog.Entries.Any(e => e.Headers.TryGetValue("Authorization", out var sent) && sent == "Bearer " + Token), "the token was used");
        Assert.DoesNotContain(Token, publish.Output);
        Assert.DoesNotContain(Token, restore.Output);
        Assert.IsFalse(BinaryLogContains(binlog, Token), "the publish binlog holds the token");
        Assert.IsFalse(BinaryLogContains(restoreBinlog, Token), "the restore binlog holds the token");
    }

    private static async Task<TestRegistryServer> StartAsync(RegistryFlavor flavor)
    {
        var server = await TestRegistryServer.StartAsync(new TestServerOptions { Flavor = flavor });
        if (flavor == RegistryFlavor.GitLab)
        {
            server.AddProject(ProjectPath);
            server.AddToken(Token, "api");
        }

        return server;
    }

    /// <summary>Points the workspace at the server; returns the -p:MlflowRegistry argument.</summary>
    private static string Configure(Workspace workspace, TestRegistryServer server)
    {
        if (server.Flavor == RegistryFlavor.Mlflow)
        {
            return "-p:MlflowRegistry=" + server.BaseAddress.AbsoluteUri;
        }

        workspace.Environment["GITLAB_TOKEN"] = Token;
        workspace.Environment["PYTHON_GITLAB_CFG"] = null;
        return $"-p:MlflowRegistry=gitlab:{server.BaseAddress.AbsoluteUri}{ProjectPath}";
    }

    /// <summary>A binary log is a gzip stream of records whose strings are UTF-8.</summary>
    private static bool BinaryLogContains(string path, string text)
    {
        Assert.IsTrue(File.Exists(path), path);
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        var bytes = buffer.ToArray();
        Assert.IsGreaterThan(1000, bytes.Length, "the binary log is suspiciously small");
        return bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0;
    }
}
