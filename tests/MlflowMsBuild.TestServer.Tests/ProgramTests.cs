using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MlflowMsBuild.TestServer.Tests;

/// <summary>The server as a program (<c>dotnet MlflowMsBuild.TestServer.dll</c>): stopping on a signal, and a port that is taken.</summary>
[TestClass]
[OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
public sealed partial class ProgramTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    /// <summary>Servers this test started: one still running when the test ends (a failed test) is killed, not left behind.</summary>
    private readonly List<(int Id, DateTime Started)> started = [];

    [TestCleanup]
    public void KillServersLeftRunning()
    {
        foreach (var (id, startTime) in started)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                if (process.StartTime == startTime)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Exited already.
            }
        }
    }

    [GeneratedRegex(@"listening on (?<address>\S+) \(data: (?<data>.+)\)$")]
    private static partial Regex Listening();

    [TestMethod]
    public async Task Sigterm_StopsTheServer_AndDeletesItsDataFolder()
    {
        using var server = Start("--urls", "http://127.0.0.1:0");
        var (_, data) = await ReadListeningAsync(server);
        Assert.IsTrue(Directory.Exists(data), data);

        await SignalAsync(server, "TERM");
        await server.WaitForExitAsync().WaitAsync(Bound);

        var output = await server.StandardOutput.ReadToEndAsync();
        Assert.AreEqual(0, server.ExitCode, output + await server.StandardError.ReadToEndAsync());
        Assert.Contains("stopping", output);
        Assert.IsFalse(Directory.Exists(data), data);
    }

    [TestMethod]
    public async Task Sigint_StopsTheServer_AndDeletesItsDataFolder()
    {
        using var server = Start("--flavor", "gitlab", "--urls", "http://127.0.0.1:0");
        var (_, data) = await ReadListeningAsync(server);

        await SignalAsync(server, "INT");
        await server.WaitForExitAsync().WaitAsync(Bound);

        Assert.AreEqual(0, server.ExitCode, await server.StandardError.ReadToEndAsync());
        Assert.IsFalse(Directory.Exists(data), data);
    }

    [TestMethod]
    public async Task PortTaken_PrintsOneLine_AndExitsWithOne()
    {
        using var first = Start("--urls", "http://127.0.0.1:0");
        var (address, _) = await ReadListeningAsync(first);
        try
        {
            using var second = Start("--urls", address.GetLeftPart(UriPartial.Authority));
            var error = second.StandardError.ReadToEndAsync();
            var output = second.StandardOutput.ReadToEndAsync();
            await second.WaitForExitAsync().WaitAsync(Bound);

            Assert.AreEqual(1, second.ExitCode, await error);
            var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.HasCount(1, lines, await error);
            StringAssert.StartsWith(lines[0], "error: cannot listen: ");
            Assert.Contains(address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[0]);
            Assert.DoesNotContain("listening", await output);
        }
        finally
        {
            await SignalAsync(first, "TERM");
            await first.WaitForExitAsync().WaitAsync(Bound);
        }
    }

    [TestMethod]
    public async Task UnknownArgument_PrintsOneLine_AndExitsWithTwo()
    {
        using var server = Start("--port", "5080");
        var error = await server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync().WaitAsync(Bound);

        Assert.AreEqual(2, server.ExitCode, error);
        Assert.AreEqual("error: Unknown argument '--port'.", error.Trim());
    }

    /// <summary>
    /// Starts the server with SIGINT at its default disposition: a shell without job control starts background jobs
    /// with SIGINT ignored, the ignored state is inherited through exec, and the runtime then never sees Ctrl+C
    /// (the SIGINT test hung that way when CI ran in the background). GNU env resets it; Ctrl+C in a terminal never
    /// meets an ignored SIGINT.
    /// </summary>
    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsLinux() ? "env" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (OperatingSystem.IsLinux())
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MlflowMsBuild.TestServer.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        started.Add((process.Id, process.StartTime));
        return process;
    }

    /// <summary>The first line: the address listened on and the temporary data folder.</summary>
    private static async Task<(Uri Address, string Data)> ReadListeningAsync(Process server)
    {
        var line = await server.StandardOutput.ReadLineAsync().WaitAsync(Bound);
        var match = Listening().Match(line ?? "");
        Assert.IsTrue(match.Success, $"first line: {line}; stderr: {(server.HasExited ? await server.StandardError.ReadToEndAsync() : "")}");
        return (new Uri(match.Groups["address"].Value), match.Groups["data"].Value);
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(Bound);
        Assert.AreEqual(0, kill.ExitCode);
    }
}
