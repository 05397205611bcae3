using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MlflowMsBuild.Bench;
using MlflowMsBuild.TestServer;

// bench/run: the restore's figures against the loopback test server, each measured side by side in this run.
// Arguments: <repository root> <task assembly> [size of the large model in MiB, default 1024]
var repoRoot = Path.GetFullPath(args[0]);
var tasks = Path.GetFullPath(args[1]);
var largeMiB = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1024;
const int Rounds = 3;

await using var server = await TestRegistryServer.StartAsync(new TestServerOptions { Flavor = RegistryFlavor.Mlflow });
using var workspace = new BenchWorkspace(repoRoot, tasks);
var registry = server.BaseAddress.AbsoluteUri;
void Figure(string name, double value, string unit, string goal) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.###}{unit} (goal {goal})"));

// 1. No-op build with 10 cached references vs the same project without them.
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

var noop = new List<(double With, double Without)>();
for (var round = 0; round < 7; round++)
{
    var a = workspace.Run("dotnet", ["build", with10, "--no-restore", "-nologo", "-v:q"], workspace.Root).Elapsed.TotalSeconds;
    var b = workspace.Run("dotnet", ["build", without, "--no-restore", "-nologo", "-v:q"], workspace.Root).Elapsed.TotalSeconds;
    noop.Add((a, b));
}

Figure("no-op build, 10 cached references / none", Median(noop.Select(n => n.With)) / Median(noop.Select(n => n.Without)), "", "<= 1.03");

// 2-4, 6. One large model: cold restore vs curl, peak RSS growth, warm restore into a fresh obj/, requests when warm.
await workspace.PublishAsync(server.BaseAddress, "test-large", ("weights.bin", largeMiB * 1024L * 1024), ("MLmodel", 300));
var large = workspace.WriteProject("Large", [("test-large", "1")], registry);
workspace.Run("dotnet", ["restore", large, "-nologo", "-v:q"], workspace.Root);
var urls = await ArtifactUrlsAsync(server.BaseAddress, "test-large", ["weights.bin", "MLmodel"]);
double curlBest = double.MaxValue, coldBest = double.MaxValue, warmBest = double.MaxValue;
long coldRss = 0, warmRss = long.MaxValue;
var warmRequests = 0;
for (var round = 0; round < Rounds; round++)
{
    var target = workspace.PathOf("curl-" + round);
    Directory.CreateDirectory(target);
    var curlArgs = urls.SelectMany((u, i) => new[] { "-o", Path.Combine(target, "f" + i), u }).Prepend("-sSf");
    curlBest = Math.Min(curlBest, workspace.Run("curl", curlArgs, workspace.Root).Elapsed.TotalMilliseconds);
    Directory.Delete(target, recursive: true);

    var cache = workspace.PathOf("cache-large-" + round);
    DeleteObj(workspace, "Large");
    var cold = workspace.RestoreOnly(large, cache);
    coldBest = Math.Min(coldBest, cold.Task.TotalMilliseconds);
    coldRss = Math.Max(coldRss, cold.PeakRssBytes);

    DeleteObj(workspace, "Large");
    server.RequestLog.Clear();
    var warm = workspace.RestoreOnly(large, cache);
    warmRequests = Math.Max(warmRequests, server.RequestLog.Entries.Count);
    warmBest = Math.Min(warmBest, warm.Task.TotalMilliseconds);
    warmRss = Math.Min(warmRss, warm.PeakRssBytes);
    Directory.Delete(cache, recursive: true);
}

Figure($"cold restore of a {largeMiB} MiB model / curl of the same files", coldBest / curlBest, "", "<= 1.10");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (restore {coldBest:0} ms, curl {curlBest:0} ms)"));
Figure("peak RSS growth of the build process during that restore", (coldRss - warmRss) / 1048576.0, " MiB", "<= 64 MiB");
Figure("warm restore of that model into a fresh obj/", warmBest, " ms", "<= 50 ms");

// 5. 50 small models behind 20 ms of latency per request: restore vs curl fetching the same files one after another.
await using var proxy = new LatencyProxy(server.BaseAddress, TimeSpan.FromMilliseconds(20));
for (var i = 0; i < 50; i++)
{
    await workspace.PublishAsync(server.BaseAddress, $"test-many-{i}", ("model.bin", 16 * 1024));
}

var many = workspace.WriteProject("Many", Enumerable.Range(0, 50).Select(i => ($"test-many-{i}", "1")), proxy.Address.AbsoluteUri);
workspace.Run("dotnet", ["restore", many, "-nologo", "-v:q"], workspace.Root);
var manyUrls = new List<string>();
for (var i = 0; i < 50; i++)
{
    manyUrls.AddRange(await ArtifactUrlsAsync(proxy.Address, $"test-many-{i}", ["model.bin"]));
}

double manyCurl = double.MaxValue, manyOurs = double.MaxValue;
for (var round = 0; round < Rounds; round++)
{
    var target = workspace.PathOf("curl-many");
    Directory.CreateDirectory(target);
    manyCurl = Math.Min(manyCurl, workspace.Run("curl", manyUrls.SelectMany((u, i) => new[] { "-o", Path.Combine(target, "f" + i), u }).Prepend("-sSf"), workspace.Root).Elapsed.TotalMilliseconds);
    Directory.Delete(target, recursive: true);
    DeleteObj(workspace, "Many");
    manyOurs = Math.Min(manyOurs, workspace.RestoreOnly(many, workspace.PathOf("cache-many-" + round)).Task.TotalMilliseconds);
}

Figure("50 small models at 20 ms latency / sequential curl", manyOurs / manyCurl, "", "<= 0.35");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (restore {manyOurs:0} ms, curl {manyCurl:0} ms)"));
Figure("HTTP requests on a warm pinned restore", warmRequests, "", "0");
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static void DeleteObj(BenchWorkspace workspace, string project)
{
    var models = workspace.PathOf(project, "obj", "models");
    if (Directory.Exists(models))
    {
        Directory.Delete(models, recursive: true);
    }
}

static async Task<List<string>> ArtifactUrlsAsync(Uri server, string model, string[] files)
{
    using var http = new HttpClient { BaseAddress = server };
    var answer = await http.GetFromJsonAsync<JsonObject>($"api/2.0/mlflow/model-versions/get-download-uri?name={model}&version=1");
    var path = ((string)answer!["artifact_uri"]!)["mlflow-artifacts:/".Length..].Trim('/');
    return files.Select(f => new Uri(server, $"api/2.0/mlflow-artifacts/artifacts/{path}/{f}").AbsoluteUri).ToList();
}
