using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Publishing;

/// <summary>
/// Every file name either comes back exactly from the registry it was published to, or is refused before anything is
/// created there: published and restored on each registry flavour (embedded, MLflow 2.12, MLflow 3.11, GitLab).
/// </summary>
[TestClass]
public sealed class FileNameRoundTripTests
{
    private const string Model = "test-names";
    private const string Local = "local";
    private const string Mlflow212 = "mlflow-2.12";
    private const string Mlflow311 = "mlflow-3.11";
    private const string GitLab = "gitlab";

    public TestContext TestContext { get; set; } = null!;

    /// <summary>Names every registry keeps, and names Windows cannot hold (refused everywhere, MLF4009).</summary>
    [TestMethod]
    [DataRow(Local, "plus+sign.txt", 0)]
    [DataRow(Mlflow212, "plus+sign.txt", 0)]
    [DataRow(Mlflow311, "plus+sign.txt", 0)]
    [DataRow(GitLab, "plus+sign.txt", 0)]
    [DataRow(Local, "sub dir/semi;colon.txt", 0)]
    [DataRow(Mlflow212, "sub dir/semi;colon.txt", 0)]
    [DataRow(Mlflow311, "sub dir/semi;colon.txt", 0)]
    [DataRow(GitLab, "sub dir/semi;colon.txt", 4002)]
    [DataRow(Mlflow311, "sp ace.txt", 0)]
    [DataRow(GitLab, "sp ace.txt", 4002)]
    [DataRow(Local, "100%.txt", 0)]
    [DataRow(Mlflow212, "100%.txt", 0)]
    [DataRow(Mlflow311, "100%.txt", 0)]
    [DataRow(GitLab, "100%.txt", 4002)]
    [DataRow(Local, "%41.txt", 0)]
    [DataRow(Mlflow212, "%41.txt", 4002)]
    [DataRow(Mlflow311, "a%20b.txt", 4002)]
    [DataRow(Mlflow212, "x%2Fy.bin", 4002)]
    [DataRow(GitLab, "%41.txt", 4002)]
    [DataRow(Local, "hash#.txt", 0)]
    [DataRow(Mlflow212, "hash#.txt", 4002)]
    [DataRow(Mlflow311, "hash#.txt", 4002)]
    [DataRow(GitLab, "hash#.txt", 4002)]
    [DataRow(Local, "unicodé.txt", 0)]
    [DataRow(Mlflow212, "unicodé.txt", 4002)]
    [DataRow(Mlflow311, "unicodé.txt", 4002)]
    [DataRow(GitLab, "unicodé.txt", 4002)]
    [DataRow(Local, "q?mark.txt", 4009)]
    [DataRow(Mlflow212, "q?mark.txt", 4009)]
    [DataRow(Mlflow311, "q?mark.txt", 4009)]
    [DataRow(GitLab, "q?mark.txt", 4009)]
    [DataRow(Local, "aux.txt", 4009)]
    [DataRow(Mlflow311, "CON", 4009)]
    [DataRow(GitLab, "a:b.txt", 4009)]
    [DataRow(Mlflow212, "trailing.", 4009)]
    [DataRow(Local, "dir /x.txt", 4009)]
    public async Task FileName_RoundTripsExactly_OrIsRefusedBeforeAnythingIsCreated(string flavor, string fileName, int refusedWith)
    {
        await RoundTripAsync(flavor, [fileName], refusedWith);
    }

    /// <summary>A.txt and a.txt are one file on Windows and macOS: refused everywhere (MLF4008), as é in NFC and NFD.</summary>
    [TestMethod]
    [DataRow(Local)]
    [DataRow(Mlflow212)]
    [DataRow(Mlflow311)]
    [DataRow(GitLab)]
    public async Task NamesDifferingOnlyInCase_AreRefusedEverywhere(string flavor)
    {
        await RoundTripAsync(flavor, ["A.txt", "a.txt"], 4008);
    }

    [TestMethod]
    public async Task NamesDifferingOnlyInUnicodeNormalisation_AreRefused()
    {
        await RoundTripAsync(Local, ["caf\u00e9.txt", "cafe\u0301.txt"], 4008);
    }

    /// <summary>The 2.12 report: 'A.txt' and '%41.txt' published as 2 files and restored as 1. Now refused up front.</summary>
    [TestMethod]
    public async Task PercentEncodedTwinOfAnotherFile_IsRefusedOnMlflow()
    {
        await RoundTripAsync(Mlflow212, ["A.txt", "%41.txt"], 4002);
    }

    [TestMethod]
    public async Task PathLongerThanWindowsAllowsUnderObjModels_IsRefused()
    {
        var deep = string.Join('/', Enumerable.Repeat("folder-name-of-forty-characters-exactly", 6)) + "/m.bin";
        await RoundTripAsync(Mlflow212, [deep], 4009);
    }

    private async Task RoundTripAsync(string flavor, IReadOnlyList<string> fileNames, int refusedWith)
    {
        await using var remote = flavor == Local ? null : await RemoteFixture.StartAsync(
            flavor == GitLab ? RegistryFlavor.GitLab : RegistryFlavor.Mlflow,
            o => o.MlflowVersion = flavor == Mlflow311 ? new Version(3, 11) : new Version(2, 12));
        using var local = flavor == Local ? new PublishFixture() : null;
        var repo = remote?.Repo ?? local!.Repo;
        var home = remote?.Home.Path ?? local!.Home.Path;
        using var registry = remote?.OpenRegistry() ?? local!.Registry;

        var contents = fileNames.Select((name, i) => (Path: "out/model/" + name, Bytes: System.Text.Encoding.UTF8.GetBytes($"content {i} of {name}\n"))).ToList();
        var files = contents.Select(c => repo.WriteFile(c.Path, c.Bytes)).Append(repo.WriteFile("out/model/MLmodel", "flavors: {}\n"u8.ToArray())).ToList();
        var input = new PublishInput(Model, repo.Path("out", "model"), files, repo.Root, null, "names --round-trip");

        if (refusedWith != 0)
        {
            var error = await Assert.ThrowsExactlyAsync<MlflowException>(() => new ModelPublisher(registry).PublishAsync(input, TestContext.CancellationToken));
            Assert.AreEqual("MLF" + refusedWith, error.Code, error.Message);
            Assert.Contains(fileNames[^1].Split('/')[0], error.Message);
            if (remote is not null)
            {
                var writes = remote.Server.RequestLog.Entries.Where(e => e.Method is not ("GET" or "HEAD")).Select(e => e.Method + " " + e.PathAndQuery).ToList();
                Assert.IsEmpty(writes, "nothing may be created on the server: " + string.Join(", ", writes));
            }
            else
            {
                Assert.IsFalse(Directory.Exists(Path.Combine(local!.Registry.Root, "models")), "the embedded registry holds no model");
            }

            return;
        }

        var published = await new ModelPublisher(registry).PublishAsync(input, TestContext.CancellationToken);
        Assert.AreEqual(fileNames.Count + 1, published.FileCount);

        var target = Path.Combine(home, "obj", "models", Model, published.Version);
        var restored = await new ModelRestorer(registry, new ModelCache(Path.Combine(home, "cache"))).RestoreAsync(Model, published.Version, target);

        var expected = fileNames.Append("MLmodel").Order(StringComparer.Ordinal).ToList();
        var actual = Directory.GetFiles(target, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(target, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(expected, actual, "restored: " + string.Join(", ", actual));
        CollectionAssert.AreEqual(expected, restored.Files.Select(f => f.Path).Order(StringComparer.Ordinal).ToList());
        foreach (var (path, bytes) in contents)
        {
            CollectionAssert.AreEqual(bytes, File.ReadAllBytes(Path.Combine(target, path["out/model/".Length..])), path);
        }
    }
}
