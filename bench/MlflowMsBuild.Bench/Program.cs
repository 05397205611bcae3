using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using MlflowMsBuild.Bench;
using MlflowMsBuild.TestServer;

// bench/run: the restore's and the publish's figures against the loopback test server, each measured side by side
// in this run, round by round: a ratio figure is the median of the per-round ratios.
// Arguments: <repository root> <task assembly> [size of the large model in MiB, default 1024]
var repoRoot = Path.GetFullPath(args[0]);
var tasks = Path.GetFullPath(args[1]);
var largeMiB = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1024;
// BENCH_ROUNDS=n measures each ratio figure over n rounds (at least 3, the default); the no-op figure over n + 4.
var rounds = Math.Max(3, int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROUNDS"), CultureInfo.InvariantCulture, out var asked) ? asked : 3);
// BENCH_ONLY=noop,large,publish,many runs only those groups of figures (all when unset).
var only = Environment.GetEnvironmentVariable("BENCH_ONLY")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
bool Wants(string group) => only is null || only.Contains(group, StringComparer.OrdinalIgnoreCase);
var noopRounds = rounds + 4;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, load average (1 min) at start {LoadAverage()}; tasks: {Path.GetRelativePath(repoRoot, tasks)}"));

await using var server = await TestRegistryServer.StartAsync(new TestServerOptions { Flavor = RegistryFlavor.Mlflow });
using var workspace = new BenchWorkspace(repoRoot, tasks);
using var http = new HttpClient { BaseAddress = server.BaseAddress };
var registry = server.BaseAddress.AbsoluteUri;

// 1. No-op build with 10 cached references vs the same project without them.
var requests = new Figure("HTTP requests on a warm pinned restore", "", 0, "0");
if (Wants("noop"))
{
    for (var i = 0; i < 10; i++)
    {
        await workspace.PublishAsync(server.BaseAddress, $"test-small-{i}", ("model.bin", 64 * 1024));
    }

    var with10 = workspace.WriteProject("WithModels", Enumerable.Range(0, 10).Select(i => ($"test-small-{i}", "1")), registry);
    var without = workspace.WriteProject("WithoutModels", [], registry);
    foreach (var project in new[] { with10, without })
    {
        workspace.Run("dotnet", ["build", project, "-nologo", "-v:q"], workspace.Root);
    }

    var noop = new Figure("no-op build, 10 cached references / none", "", 1.03, "<= 1.03");
    List<double> noopWith = [], noopWithout = [];
    for (var round = 0; round < noopRounds; round++)
    {
        var a = workspace.Run("dotnet", ["build", with10, "--no-restore", "-nologo", "-v:q"], workspace.Root).Elapsed.TotalMilliseconds;
        var b = workspace.Run("dotnet", ["build", without, "--no-restore", "-nologo", "-v:q"], workspace.Root).Elapsed.TotalMilliseconds;
        noopWith.Add(a);
        noopWithout.Add(b);
        noop.Add(a / b);
    }

    noop.Print($"build with {Figure.Describe(noopWith, " ms")}, without {Figure.Describe(noopWithout, " ms")}");
}

// 2-4, 6. One large model: cold restore vs curl, peak RSS growth, warm restore into a fresh obj/, requests when warm.
if (Wants("large"))
{
    await workspace.PublishAsync(server.BaseAddress, "test-large", ("weights.bin", largeMiB * 1024L * 1024), ("MLmodel", 300));
    var large = workspace.WriteProject("Large", [("test-large", "1")], registry);
    workspace.Run("dotnet", ["restore", large, "-nologo", "-v:q"], workspace.Root);
    var urls = await ArtifactUrlsAsync(http, "test-large", ["weights.bin", "MLmodel"]);
    var cold = new Figure($"cold restore of a {largeMiB} MiB model / curl of the same files", "", 1.10, "<= 1.10");
    var rss = new Figure("peak RSS growth of the build process during that restore", " MiB", 64, "<= 64 MiB");
    var warm = new Figure("warm restore of that model into a fresh obj/", " ms", 50, "<= 50 ms");
    List<double> coldOurs = [], coldCurl = [], coldOursSystem = [], coldCurlSystem = [];
    for (var round = 0; round < rounds; round++)
    {
        var target = workspace.PathOf("curl-" + round);
        Directory.CreateDirectory(target);
        var curlArgs = urls.SelectMany((u, i) => new[] { "-o", Path.Combine(target, "f" + i), u }).Prepend("-sSf");
        Settle(workspace);
        var curlRun = workspace.RunTimed("curl", curlArgs, workspace.Root);
        var curl = curlRun.Elapsed.TotalMilliseconds;
        coldCurlSystem.Add(curlRun.SystemSeconds);
        Directory.Delete(target, recursive: true);

        var cache = workspace.PathOf("cache-large-" + round);
        DeleteObj(workspace, "Large");
        Settle(workspace);
        var ours = workspace.RestoreOnly(large, cache);
        coldOursSystem.Add(ours.SystemSeconds);

        DeleteObj(workspace, "Large");
        server.RequestLog.Clear();
        var again = workspace.RestoreOnly(large, cache);
        requests.Add(server.RequestLog.Entries.Count);
        Directory.Delete(cache, recursive: true);

        coldOurs.Add(ours.Task.TotalMilliseconds);
        coldCurl.Add(curl);
        cold.Add(ours.Task.TotalMilliseconds / curl);
        rss.Add((ours.PeakRssBytes - again.PeakRssBytes) / 1048576.0);
        warm.Add(again.Task.TotalMilliseconds);
    }

    // System CPU time shows what the kernel charged each side for the same bytes (page-cache copies, page faults).
    cold.Print($"restore {Figure.Describe(coldOurs, " ms")} (system CPU {Figure.Describe(coldOursSystem, " s")}), " +
        $"curl {Figure.Describe(coldCurl, " ms")} (system CPU {Figure.Describe(coldCurlSystem, " s")})");
    rss.Print();
    warm.Print();
}

// 7. Publish of one large model vs curl -T of the same file to the same server's artifact proxy. The publisher runs
// in-process (ModelPublisher, as the PublishModel task calls it): a `dotnet build -t:PublishModel` would add the
// start of an MSBuild process (1-3 s here), which would dominate the figure. Each round publishes a new model name,
// so the "already published?" check finds nothing and the whole file goes up; the uploads are deleted between rounds.
if (Wants("publish"))
{
    var (publishDirectory, publishFiles) = await workspace.WriteModelAsync("test-publish", ("weights.bin", largeMiB * 1024L * 1024));
    var publish = new Figure($"publish of a {largeMiB} MiB model / curl -T of the same file", "", 1.10, "<= 1.10");
    List<double> publishOurs = [], publishCurl = [];
    for (var round = 0; round < rounds; round++)
    {
        var upload = new Uri(server.BaseAddress, $"api/2.0/mlflow-artifacts/artifacts/bench-curl/{round}/weights.bin").AbsoluteUri;
        Settle(workspace);
        var curl = workspace.Run("curl", ["-sSf", "-o", "/dev/null", "-T", publishFiles[0], upload], workspace.Root).Elapsed.TotalMilliseconds;
        (await http.DeleteAsync(upload)).EnsureSuccessStatusCode();

        var name = $"test-publish-{round}";
        Settle(workspace);
        var clock = Stopwatch.StartNew();
        await workspace.PublishFilesAsync(server.BaseAddress, name, publishDirectory, publishFiles);
        var ours = clock.Elapsed.TotalMilliseconds;
        foreach (var uploaded in await ArtifactUrlsAsync(http, name, ["weights.bin"]))
        {
            (await http.DeleteAsync(uploaded)).EnsureSuccessStatusCode();
        }

        publishOurs.Add(ours);
        publishCurl.Add(curl);
        publish.Add(ours / curl);
    }

    publish.Print($"publish {Figure.Describe(publishOurs, " ms")}, curl -T {Figure.Describe(publishCurl, " ms")}");
}

// 5. 50 small models behind 20 ms of latency per request: restore vs curl fetching the same files one after another.
if (Wants("many"))
{
    await using var proxy = new LatencyProxy(server.BaseAddress, TimeSpan.FromMilliseconds(20));
    for (var i = 0; i < 50; i++)
    {
        await workspace.PublishAsync(server.BaseAddress, $"test-many-{i}", ("model.bin", 16 * 1024));
    }

    var many = workspace.WriteProject("Many", Enumerable.Range(0, 50).Select(i => ($"test-many-{i}", "1")), proxy.Address.AbsoluteUri);
    workspace.Run("dotnet", ["restore", many, "-nologo", "-v:q"], workspace.Root);
    using var proxyHttp = new HttpClient { BaseAddress = proxy.Address };
    var manyUrls = new List<string>();
    for (var i = 0; i < 50; i++)
    {
        manyUrls.AddRange(await ArtifactUrlsAsync(proxyHttp, $"test-many-{i}", ["model.bin"]));
    }

    var manyFigure = new Figure("50 small models at 20 ms latency / sequential curl", "", 0.35, "<= 0.35");
    List<double> manyOurs = [], manyCurl = [], manyRequests = [];
    for (var round = 0; round < rounds; round++)
    {
        Settle(workspace);
        var target = workspace.PathOf("curl-many");
        Directory.CreateDirectory(target);
        var curl = workspace.Run("curl", manyUrls.SelectMany((u, i) => new[] { "-o", Path.Combine(target, "f" + i), u }).Prepend("-sSf"), workspace.Root).Elapsed.TotalMilliseconds;
        Directory.Delete(target, recursive: true);
        DeleteObj(workspace, "Many");
        Settle(workspace);
        server.RequestLog.Clear();
        var restore = workspace.RestoreOnly(many, workspace.PathOf("cache-many-" + round));
        var ours = restore.Task.TotalMilliseconds;
        manyRequests.Add(server.RequestLog.Entries.Count);
        if (Environment.GetEnvironmentVariable("BENCH_TRACE") == "1")
        {
            Console.WriteLine(restore.Output);
            var first = server.RequestLog.Entries.Min(e => e.StartedAt);
            foreach (var e in server.RequestLog.Entries.OrderBy(e => e.StartedAt))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(e.StartedAt - first).TotalMilliseconds,7:0.0} ms {e.StartedAt:ss.fff} {e.Method} {e.PathAndQuery}"));
            }
        }

        manyOurs.Add(ours);
        manyCurl.Add(curl);
        manyFigure.Add(ours / curl);
    }

    manyFigure.Print($"restore {Figure.Describe(manyOurs, " ms")} in {Figure.Describe(manyRequests, " requests")}, curl {Figure.Describe(manyCurl, " ms")} in {manyUrls.Count} requests");
}

if (requests.Count > 0)
{
    requests.Print();
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average (1 min) at end {LoadAverage()}"));
return 0;

// Writes back every dirty page before a timed transfer (or the 50-model restore, which follows the 1 GiB publishes), so that neither side pays for the write-back
// of what the other (or the previous round) wrote: that write-back made curl's 1 GiB take 1.0-3.6 s from round to round.
static void Settle(BenchWorkspace workspace) => workspace.Run("sync", [], workspace.Root);

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown (no /proc/loadavg)";

static void DeleteObj(BenchWorkspace workspace, string project)
{
    var models = workspace.PathOf(project, "obj", "models");
    if (Directory.Exists(models))
    {
        Directory.Delete(models, recursive: true);
    }
}

static async Task<List<string>> ArtifactUrlsAsync(HttpClient http, string model, string[] files)
{
    var answer = await http.GetFromJsonAsync<JsonObject>($"api/2.0/mlflow/model-versions/get-download-uri?name={model}&version=1");
    var path = ((string)answer!["artifact_uri"]!)["mlflow-artifacts:/".Length..].Trim('/');
    return files.Select(f => new Uri(http.BaseAddress!, $"api/2.0/mlflow-artifacts/artifacts/{path}/{f}").AbsoluteUri).ToList();
}
