using System.Security.Cryptography;
using System.Text.Json;
using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>The README's main job, on copies of the real samples, with the packed package.</summary>
[TestClass]
public sealed class SampleFlowTests
{
    [TestMethod]
    public void PublishThenTestThenPublishAgainAfterANewCommit()
    {
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.CopySample("Classifier");
        workspace.CopySample("Classifier.Tests");
        workspace.CommitAll("samples");

        var publish = workspace.DotNet("build", "samples/Classifier", "-t:PublishModel");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, "Published model 'test-classifier' version 1 ");
        AssertTheVersionCarriesEverything(workspace);
        var same = workspace.DotNet("build", "samples/Classifier", "-t:PublishModel");
        Assert.AreEqual(0, same.ExitCode, same.ToString());
        StringAssert.Contains(same.Output, "Model 'test-classifier' version 1 in the embedded registry");
        StringAssert.Contains(same.Output, "already holds this content");

        var test = workspace.DotNet("test", "samples/Classifier.Tests");
        Assert.AreEqual(0, test.ExitCode, test.ToString());
        var restored = workspace.PathOf("samples", "Classifier.Tests", "obj", "models", "test-classifier", "1", "model.zip");
        Assert.IsTrue(File.Exists(restored), test.ToString());
        CollectionAssert.AreEqual(Sha256(workspace.PathOf("samples", "Classifier", "evaluation", "model", "model.zip")), Sha256(restored));
        Assert.IsFalse(File.Exists(workspace.PathOf("samples", "Classifier.Tests", "bin", "Debug", "net10.0", "LibGit2Sharp.dll")),
            "the package is a development dependency: nothing of it reaches the consumer's output");

        var stamp = workspace.PathOf("samples", "Classifier.Tests", "obj", "models", ".restored");
        var stampTime = File.GetLastWriteTimeUtc(stamp);
        var modelTime = File.GetLastWriteTimeUtc(restored);
        var again = workspace.DotNet("test", "samples/Classifier.Tests", "-v:n");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        Assert.AreEqual(stampTime, File.GetLastWriteTimeUtc(stamp), "the restore ran again with nothing changed");
        Assert.AreEqual(modelTime, File.GetLastWriteTimeUtc(restored));
        Assert.DoesNotContain("Restored model", again.Output);

        workspace.WriteFile("samples/Classifier/NOTES.md", "a change\n");
        workspace.CommitAll("second commit");
        var second = workspace.DotNet("build", "samples/Classifier", "-t:PublishModel");
        Assert.AreEqual(0, second.ExitCode, second.ToString());
        StringAssert.Contains(second.Output, "Published model 'test-classifier' version 2 ");
    }

    /// <summary>Reads version 1 back from the embedded registry's own files (not through MlflowMsBuild).</summary>
    private static void AssertTheVersionCarriesEverything(Workspace workspace)
    {
        var registry = Path.Combine(workspace.Home, "registry");
        using var version = JsonDocument.Parse(File.ReadAllText(Path.Combine(registry, "models", "test-classifier", "versions", "1.json")));
        var runDirectory = Path.Combine(registry, "runs", version.RootElement.GetProperty("run_id").GetString()!);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "run.json")));
        var parameters = run.RootElement.GetProperty("params");
        var tags = run.RootElement.GetProperty("tags");
        StringAssert.StartsWith(parameters.GetProperty("commit_url").GetString(), "https://gitlab.example.org/group/sub/project/-/commit/");
        Assert.AreEqual("Classifier --config classifier.json --output evaluation", parameters.GetProperty("command_line").GetString());
        Assert.AreEqual("samples/Classifier/classifier.json", parameters.GetProperty("config_file").GetString());
        Assert.AreEqual("synthetic-gaussian-8f (2000 rows, seed 42)", parameters.GetProperty("database").GetString());
        Assert.AreEqual("main", tags.GetProperty("mlflow.source.git.branch").GetString());
        Assert.AreEqual("git@gitlab.example.org:group/sub/project.git", tags.GetProperty("mlflow.source.git.repoURL").GetString());
        var metrics = run.RootElement.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("key").GetString()).ToList();
        CollectionAssert.IsSubsetOf(new[] { "train/auc", "test/auc", "test/accuracy" }, metrics);

        var artifacts = Path.Combine(runDirectory, "artifacts");
        StringAssert.Contains(File.ReadAllText(Path.Combine(artifacts, "tables", "metrics.md")), "| test |");
        foreach (var figure in new[] { "roc", "precision-recall" })
        {
            var png = File.ReadAllBytes(Path.Combine(artifacts, "figures", figure + ".png"));
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            // ScottPlot writes no text, silently, when no font loads: the SVG twin proves the labels are there.
            var svg = File.ReadAllText(Path.Combine(artifacts, "figures", figure + ".svg"));
            Assert.IsGreaterThan(5, svg.Split("<text").Length - 1, figure + ".svg has no text elements");
        }

        Assert.IsTrue(File.Exists(Path.Combine(artifacts, "config", "classifier.json")));
        var card = version.RootElement.GetProperty("description").GetString()!;
        StringAssert.Contains(card, "| test/auc | 0.906449 |");
        StringAssert.Contains(card, "- `figures/roc.png`");
        StringAssert.Contains(card, "`synthetic-gaussian-8f (2000 rows, seed 42)`");
    }

    private static byte[] Sha256(string path) => SHA256.HashData(File.ReadAllBytes(path));
}
