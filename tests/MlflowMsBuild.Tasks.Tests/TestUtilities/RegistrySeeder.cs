using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry.Local;

namespace MlflowMsBuild.Tasks.Tests.TestUtilities;

/// <summary>Puts model versions into the embedded registry of an MlflowHome, through MlflowMsBuild.Core.</summary>
public static class RegistrySeeder
{
    /// <summary>Publishes <paramref name="files"/> ('/'-separated relative path → content) from a throw-away git repository.</summary>
    /// <returns>The version the registry assigned.</returns>
    public static async Task<string> PublishAsync(string home, string modelName, IReadOnlyDictionary<string, byte[]> files)
    {
        using var repo = GitRepo.Create();
        var paths = files.Select(f => repo.WriteFile("model/" + f.Key, f.Value)).ToList();
        repo.CommitAll("model " + modelName);
        var registry = new LocalRegistry(Path.Combine(home, "registry"));
        var input = new PublishInput(modelName, repo.Path("model"), paths, repo.Root);
        var result = await new ModelPublisher(registry).PublishAsync(input);
        return result.Version;
    }

    /// <summary>Two files, one in a subfolder; <paramref name="seed"/> makes the contents differ between versions.</summary>
    public static Dictionary<string, byte[]> SampleFiles(byte seed = 1) => new(StringComparer.Ordinal)
    {
        ["model.bin"] = Enumerable.Range(0, 300).Select(i => (byte)(i * seed)).ToArray(),
        ["config/settings.json"] = System.Text.Encoding.UTF8.GetBytes($"{{\"seed\": {seed}}}\n"),
    };
}
