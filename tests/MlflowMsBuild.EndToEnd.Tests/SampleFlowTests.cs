using System.Security.Cryptography;
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

    private static byte[] Sha256(string path) => SHA256.HashData(File.ReadAllBytes(path));
}
