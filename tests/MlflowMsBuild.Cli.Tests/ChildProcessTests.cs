using System.Diagnostics;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Cli.Tests;

/// <summary>The tool as a shell runs it: separate standard streams, redirected (so no progress), the exit code of the process.</summary>
[TestClass]
public sealed class ChildProcessTests
{
    [TestMethod]
    public async Task Pull_InAChildProcess_WritesTheFolderToStdout_AndErrorsToStderr()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();

        var found = await RunAsync(fixture, "pull", "models:/test-model/1");
        var missing = await RunAsync(fixture, "pull", "models:/test-model/2");

        Assert.AreEqual(0, found.ExitCode, found.Error);
        Assert.IsTrue(File.Exists(Path.Combine(found.Out.Trim(), "model.zip")), found.Out);
        Assert.DoesNotContain("Downloading", found.Error);
        Assert.AreEqual(2, missing.ExitCode, missing.Error);
        Assert.AreEqual("", missing.Out);
        StringAssert.StartsWith(missing.Error, "error MLF2002: ");
    }

    [TestMethod]
    public async Task UnknownCommand_WithJson_InAChildProcess_IsAJsonErrorDocument_AndExitCodeOne()
    {
        using var fixture = new PublishFixture();

        var result = await RunAsync(fixture, "--json", "bogus");

        Assert.AreEqual(1, result.ExitCode, result.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.AreEqual("MLF7060", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.AreEqual(1, json.RootElement.GetProperty("error").GetProperty("exit_code").GetInt32());
        StringAssert.Contains(json.RootElement.GetProperty("error").GetProperty("message").GetString(), "Unrecognized command or argument 'bogus'.");
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(PublishFixture fixture, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = fixture.Repo.Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MlflowMsBuild.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MLFLOW_MSBUILD_HOME"] = fixture.Home.Path;
        start.Environment.Remove("MLFLOW_TRACKING_URI");
        start.Environment.Remove("MLFLOW_MSBUILD_OFFLINE");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output, await error);
    }
}
