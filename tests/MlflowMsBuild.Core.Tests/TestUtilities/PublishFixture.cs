using System.Security.Cryptography;
using System.Text.Json;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.Local;

namespace MlflowMsBuild.Core.Tests.TestUtilities;

/// <summary>
/// A git repository holding model files under <c>out/model</c>, and an embedded registry and a cache
/// in a separate temporary home (never the user's ~/.mlflow-msbuild).
/// </summary>
internal sealed class PublishFixture : IDisposable
{
    public PublishFixture(string? originUrl = null)
    {
        Repo = GitRepo.Create(originUrl);
        Registry = new LocalRegistry(Home.Combine("registry"));
    }

    public GitRepo Repo { get; }

    public TempDirectory Home { get; } = new();

    public LocalRegistry Registry { get; }

    public string CacheRoot => Home.Combine("cache");

    public string ModelDirectory => Repo.Path("out", "model");

    /// <summary>Writes the files under <see cref="ModelDirectory"/>; returns their full paths.</summary>
    public IReadOnlyList<string> WriteModel(params (string Path, byte[] Content)[] files) =>
        files.Select(f => Repo.WriteFile("out/model/" + f.Path, f.Content)).ToList();

    /// <summary>A two-file model: a binary blob and a nested JSON file.</summary>
    public IReadOnlyList<string> WriteDefaultModel(int seed = 1) => WriteModel(
        ("model.zip", RandomBytes(150_000, seed)),
        ("config/settings.json", System.Text.Encoding.UTF8.GetBytes($"{{\"seed\": {seed}}}")));

    public PublishInput Input(string modelName = "test-model", IReadOnlyList<string>? files = null, string? metricsFile = null) =>
        new(modelName, ModelDirectory, files ?? WriteDefaultModel(), Repo.Root, metricsFile, CommandLine: "dotnet build -t:PublishModel");

    public Task<PublishResult> PublishAsync(PublishInput? input = null, IModelRegistry? registry = null, TimeProvider? clock = null) =>
        new ModelPublisher(registry ?? Registry, clock).PublishAsync(input ?? Input());

    public JsonElement ReadRun(string runId)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Registry.Root, "runs", runId, "run.json")));
        return document.RootElement.Clone();
    }

    public static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public void Dispose()
    {
        Repo.Dispose();
        Home.Dispose();
    }
}
